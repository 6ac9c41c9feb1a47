using System.Text;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>The search key of a name: what a caller types without accents finds the person with them.</summary>
public sealed class NameFoldingTests
{
    /// <summary>Composed, decomposed, upper-case and badly spaced forms of one name fold to one key.</summary>
    [Theory]
    [InlineData("Nguyễn Thị Ánh")]
    [InlineData("  NGUYEN   thi anh ")]
    [InlineData("nguyen thi anh")]
    [InlineData("NGUYỄN THỊ ÁNH")]
    [InlineData("Nguyễn\tThị\u00A0\u00A0Ánh")]
    public void Forms_of_one_name_fold_alike(string name) =>
        Assert.Equal("nguyen thi anh", NameFolding.Fold(name));

    /// <summary>The decomposed (NFD) form folds like the composed one.</summary>
    [Fact]
    public void The_decomposed_form_folds_like_the_composed_one() =>
        Assert.Equal("nguyen thi anh", NameFolding.Fold("Nguyễn Thị Ánh".Normalize(NormalizationForm.FormD)));

    /// <summary>Đ is a letter of its own that NFD does not decompose; it folds to d in both cases.</summary>
    [Theory]
    [InlineData("Đặng Đức Độ", "dang duc do")]
    [InlineData("đinh", "dinh")]
    public void D_with_stroke_folds_to_d(string name, string key) =>
        Assert.Equal(key, NameFolding.Fold(name));

    /// <summary>Every Vietnamese vowel with every tone folds to its bare vowel.</summary>
    [Theory]
    [InlineData("àáảãạ ằắẳẵặ ầấẩẫậ", "aaaaa aaaaa aaaaa")]
    [InlineData("èéẻẽẹ ềếểễệ", "eeeee eeeee")]
    [InlineData("ìíỉĩị", "iiiii")]
    [InlineData("òóỏõọ ồốổỗộ ờớởỡợ", "ooooo ooooo ooooo")]
    [InlineData("ùúủũụ ừứửữự", "uuuuu uuuuu")]
    [InlineData("ỳýỷỹỵ", "yyyyy")]
    [InlineData("ĂÂÊÔƠƯ", "aaeoou")]
    public void Vowel_marks_and_tones_are_dropped(string name, string key) =>
        Assert.Equal(key, NameFolding.Fold(name));

    /// <summary>Blank input folds to the empty key; a prefix folds like the name it starts.</summary>
    [Theory]
    [InlineData("", "")]
    [InlineData(" \t\n ", "")]
    [InlineData("Nguyễn Thị Á", "nguyen thi a")]
    public void Blank_and_partial_input_fold_predictably(string name, string key) =>
        Assert.Equal(key, NameFolding.Fold(name));

    /// <summary>Folding a key changes nothing, so a key can be folded again safely.</summary>
    [Fact]
    public void Folding_is_idempotent()
    {
        var key = NameFolding.Fold("Trần Ngọc Bảo Anh");
        Assert.Equal(key, NameFolding.Fold(key));
    }

    /// <summary>Letters of scripts that decompose into other letters come back composed.</summary>
    [Fact]
    public void Hangul_comes_back_composed() =>
        Assert.Equal("김민준", NameFolding.Fold("김민준"));

    /// <summary>Broken UTF-16 is refused rather than folded into a key nobody can type.</summary>
    [Fact]
    public void A_lone_surrogate_is_refused() =>
        Assert.Throws<ArgumentException>(() => NameFolding.Fold("Nguyễn\uD800"));
}
