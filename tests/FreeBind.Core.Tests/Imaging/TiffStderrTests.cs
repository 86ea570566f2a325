using System.Runtime.InteropServices;

using FreeBind.Media;

namespace FreeBind.Tests.Imaging;

/// <summary>Runs alone, because it points the process's stderr (file descriptor 2) at a file.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StderrCaptureCollection
{
    public const string Name = "stderr capture";
}

/// <summary>libtiff's error messages do not reach the process's stderr.</summary>
[Collection(StderrCaptureCollection.Name)]
public sealed partial class TiffStderrTests
{
    private const int StandardError = 2;

    [Fact]
    public void DamagedFiles_WriteNothingToStderr()
    {
        IPreprocessor preprocessor = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".");
        string path = Path.GetTempFileName();
        int saved = Dup(StandardError);
        Assert.True(saved >= 0, "dup(2) failed");
        try
        {
            using (FileStream capture = File.OpenWrite(path))
            {
                Assert.True(Dup2((int)capture.SafeFileHandle.DangerousGetHandle(), StandardError) >= 0, "dup2 failed");
                foreach (string file in new[] { "tiff-header-only.tif", "tiff-truncated-directory.tif", "tiff-cut-before-rows.tif" })
                {
                    Assert.Throws<MediaException>(() => preprocessor.Preprocess(ImageFixtures.Read(file)));
                }

                // libtiff reports an error for each strip that ends past the end of the file.
                Assert.Single(preprocessor.Preprocess(ImageFixtures.Read("tiff-truncated-strips.tif")).Warnings);
                Dup2(saved, StandardError);
            }

            Assert.Equal("", File.ReadAllText(path));
        }
        finally
        {
            Dup2(saved, StandardError);
            Close(saved);
            File.Delete(path);
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "dup")]
    private static partial int Dup(int descriptor);

    [LibraryImport("libc.so.6", EntryPoint = "dup2")]
    private static partial int Dup2(int descriptor, int target);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
