namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// A fact that runs only when the environment variable <c>FREEBIND_RUN_PERF=1</c> is set, so
/// throughput checks do not fail on a busy CI machine.
/// </summary>
public sealed class PerformanceFactAttribute : FactAttribute
{
    public const string Variable = "FREEBIND_RUN_PERF";

    public PerformanceFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            Skip = $"Throughput check; set {Variable}=1 to run it.";
        }
    }
}
