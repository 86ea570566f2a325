namespace FreeBind.Tests.Evaluation;

/// <summary>A fact that runs only where /usr/bin/chromium exists, and otherwise is skipped with the reason.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public const string ChromiumPath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumPath))
        {
            Skip = $"Headless HTML check: {ChromiumPath} is not installed on this machine; install it with apt-get install chromium.";
        }
    }
}
