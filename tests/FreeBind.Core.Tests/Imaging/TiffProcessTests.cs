using System.Runtime.InteropServices;

using FreeBind.Imaging;
using FreeBind.Media;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests.Imaging;

/// <summary>libtiff's error messages stay out of stderr, and a missing libtiff is named in the error.</summary>
[Collection(ProcessStateCollection.Name)]
public sealed partial class TiffProcessTests
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

    [Fact]
    public void MissingLibrary_NamesDebianPackage()
    {
        IPreprocessor preprocessor = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".");
        LibTiff.Enabled = false;
        try
        {
            MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(ImageFixtures.Read("tiff-rgb.tif")));

            Assert.Equal("decode", error.Stage);
            Assert.Equal(
                "TIFF images are decoded with the system libtiff (libtiff.so.6), which did not load; " +
                "install the Debian package libtiff6, or convert the file to PNG",
                error.Message);
        }
        finally
        {
            LibTiff.Enabled = true;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "dup")]
    private static partial int Dup(int descriptor);

    [LibraryImport("libc.so.6", EntryPoint = "dup2")]
    private static partial int Dup2(int descriptor, int target);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
