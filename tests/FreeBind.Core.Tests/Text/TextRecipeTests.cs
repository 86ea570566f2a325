using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class TextRecipeTests
{
    private static string Dir => TextFixtures.Directory;

    private static TextRecipe ClipRecipe() => new()
    {
        Tokenizer = "clip",
        Vocab = "clip_vocab.json",
        Merges = "clip_merges.txt",
    };

    [Fact]
    public void Validate_ClipRecipeIsValid()
    {
        Assert.Empty(ClipRecipe().Validate(Dir));
    }

    [Fact]
    public void Validate_ClipMergesListNeedsNoVocab()
    {
        var recipe = new TextRecipe { Tokenizer = "clip", Merges = "clip_bpe_simple_vocab.txt" };

        Assert.Empty(recipe.Validate(Dir));
    }

    [Fact]
    public void Validate_UnknownTokenizer()
    {
        var recipe = ClipRecipe();
        recipe.Tokenizer = "sentencepiece";

        var problem = Assert.Single(recipe.Validate(Dir));
        Assert.Contains("Tokenizer 'sentencepiece' is unknown", problem);
    }

    [Fact]
    public void Validate_MissingVocabNamesPathAndProperty()
    {
        var recipe = ClipRecipe();
        recipe.Vocab = "nope/vocab.json";

        var problem = Assert.Single(recipe.Validate(Dir));
        Assert.Contains("Vocab file", problem);
        Assert.Contains(Path.Combine(Dir, "nope", "vocab.json"), problem);
    }

    [Fact]
    public void Validate_MissingMergesForBpe()
    {
        var recipe = new TextRecipe { Tokenizer = "roberta", Vocab = "roberta_vocab.json" };

        var problem = Assert.Single(recipe.Validate(Dir));
        Assert.Contains("Merges is not set", problem);
    }

    [Fact]
    public void Validate_BertIgnoresMerges()
    {
        var recipe = new TextRecipe { Tokenizer = "bert", Vocab = TextFixtures.MiniLmVocabPath, ContextLength = 256 };

        Assert.Empty(recipe.Validate(Dir));
    }

    [Theory]
    [InlineData("clip", 1, "at least 2")]
    [InlineData("bert", 513, "exceeds BERT's 512 positions")]
    public void Validate_ContextLengthBounds(string tokenizer, int contextLength, string expected)
    {
        var recipe = tokenizer == "bert"
            ? new TextRecipe { Tokenizer = "bert", Vocab = TextFixtures.MiniLmVocabPath }
            : ClipRecipe();
        recipe.ContextLength = contextLength;

        var problem = Assert.Single(recipe.Validate(Dir));
        Assert.Contains($"ContextLength {contextLength}", problem);
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Validate_UnknownPadding()
    {
        var recipe = ClipRecipe();
        recipe.Padding = "max";

        Assert.Contains("Padding 'max' is unknown", Assert.Single(recipe.Validate(Dir)));
    }

    [Fact]
    public void CreatePreprocessor_InvalidRecipeThrows()
    {
        var recipe = ClipRecipe();
        recipe.Merges = "missing.txt";

        var ex = Assert.Throws<ArgumentException>(() => recipe.CreatePreprocessor(Dir));
        Assert.Contains("Merges file", ex.Message);
    }

    [Fact]
    public void CreatePreprocessor_ClipDefaults()
    {
        var preprocessor = TextPreprocessor.Create(ClipRecipe(), Dir);

        Assert.Equal("clip", preprocessor.Tokenizer.Name);
        Assert.Equal(77, preprocessor.ContextLength);
        Assert.True(preprocessor.PadToContextLength);
        Assert.Equal(0, preprocessor.PadTokenId);
        Assert.Equal(Media.Modality.Text, preprocessor.Modality);
    }

    [Fact]
    public void CreatePreprocessor_BothClipFormatsAgree()
    {
        var fromJson = TextPreprocessor.Create(ClipRecipe(), Dir);
        var fromList = TextPreprocessor.Create(new TextRecipe { Merges = "clip_bpe_simple_vocab.txt" }, Dir);

        var text = "A photo of a dog, café 東京 🐶"u8.ToArray();
        Assert.Equal(fromJson.Preprocess(text).Inputs[0].Int64s, fromList.Preprocess(text).Inputs[0].Int64s);
    }

    [Fact]
    public void CreatePreprocessor_RobertaKeepsCaseByDefault()
    {
        var recipe = new TextRecipe
        {
            Tokenizer = "roberta",
            Vocab = "roberta_vocab.json",
            Merges = "roberta_merges.txt",
            Padding = "fixed",
            AttentionMask = "attention_mask",
        };

        var preprocessor = TextPreprocessor.Create(recipe, Dir);

        Assert.Equal(1, preprocessor.PadTokenId);
        Assert.NotEqual(
            preprocessor.PreprocessText("Cat").Inputs[0].Int64s,
            preprocessor.PreprocessText("cat").Inputs[0].Int64s);
    }

    [Fact]
    public void CreatePreprocessor_BertLongestPadding()
    {
        var recipe = new TextRecipe
        {
            Tokenizer = "bert",
            Vocab = TextFixtures.MiniLmVocabPath,
            ContextLength = 256,
            Padding = "longest",
            AttentionMask = "attention_mask",
            TokenTypeIds = "token_type_ids",
        };

        var preprocessor = TextPreprocessor.Create(recipe, Dir);

        Assert.False(preprocessor.PadToContextLength);
        Assert.Equal(3, preprocessor.PreprocessText("hello world").Inputs.Count);
    }
}
