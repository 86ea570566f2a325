using System.Text.Json.Serialization;

using FreeBind.Audio;
using FreeBind.Imaging;
using FreeBind.Text;

namespace FreeBind.Spaces;

/// <summary>
/// How raw bytes of one modality become model inputs. The <c>kind</c> property in the spaces
/// file picks the subclass.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ImageRecipe), "image")]
[JsonDerivedType(typeof(AudioRecipe), "audio")]
[JsonDerivedType(typeof(TextRecipe), "text")]
public abstract class PreprocessRecipe
{
    /// <summary>Checks the recipe's values and returns one message per problem.</summary>
    /// <param name="baseDirectory">Folder that relative file paths (vocabularies) resolve against.</param>
    public abstract IEnumerable<string> Validate(string baseDirectory);

    /// <summary>Builds the preprocessor this recipe describes.</summary>
    /// <param name="baseDirectory">Folder that relative file paths (vocabularies) resolve against.</param>
    public abstract Media.IPreprocessor CreatePreprocessor(string baseDirectory);
}
