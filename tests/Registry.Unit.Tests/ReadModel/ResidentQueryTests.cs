using Registry.Database.Residents;

namespace Registry.Unit.Tests.ReadModel;

/// <summary>Which searches are accepted, and the field named when one is not.</summary>
public sealed class ResidentQueryTests
{
    /// <summary>A name of two folded letters, a province, or both are enough; the other fields are optional.</summary>
    [Theory]
    [InlineData("ng", null, null)]
    [InlineData("Nguyễn Thị Á", null, null)]
    [InlineData(null, null, "079")]
    [InlineData("a", null, "079")]
    [InlineData("nguyen van a", 1987, "001")]
    [InlineData("Đỗ", 2025, null)]
    public void Usable_queries_are_accepted(string? name, int? birthYear, string? province) =>
        Assert.Empty(new ResidentQuery(name, birthYear, province).Validate());

    /// <summary>Without a province, the name must have two letters once accents and spaces are gone.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Á")]
    [InlineData(" a ")]
    [InlineData("\u0301\u0301")]
    public void A_query_without_two_letters_or_a_province_is_refused(string? name) =>
        Assert.Equal(["name"], Fields(new ResidentQuery(name, null, null)));

    /// <summary>A birth year outside the years an ID number can encode is refused.</summary>
    [Theory]
    [InlineData(1899)]
    [InlineData(2400)]
    [InlineData(-5)]
    public void A_birth_year_outside_1900_to_2399_is_refused(int year) =>
        Assert.Equal(["birthYear"], Fields(new ResidentQuery("nguyen", year, null)));

    /// <summary>The province must be one of the 63 codes.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("79")]
    [InlineData("0790")]
    [InlineData("003")]
    [InlineData("abc")]
    public void An_unknown_province_is_refused(string province) =>
        Assert.Equal(["province"], Fields(new ResidentQuery("nguyen", null, province)));

    /// <summary>Pages hold 1 to 100 people; 20 unless asked otherwise.</summary>
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(100, true)]
    [InlineData(101, false)]
    [InlineData(-1, false)]
    public void The_page_size_is_1_to_100(int limit, bool accepted)
    {
        Assert.Equal(20, new ResidentQuery("nguyen", null, null).Limit);
        Assert.Equal(accepted ? [] : ["limit"], Fields(new ResidentQuery("nguyen", null, null, limit)));
    }

    /// <summary>Only a cursor this search returned is accepted as the start of a page.</summary>
    [Theory]
    [InlineData("")]
    [InlineData("not a cursor!")]
    [InlineData("MA")]
    [InlineData("MTA3OTE5MDAwMDAxbmd1eWVu")]
    public void A_cursor_this_search_did_not_make_is_refused(string after) =>
        Assert.Equal(["after"], Fields(new ResidentQuery("nguyen", null, null, 20, after)));

    /// <summary>Names with control characters, or text damaged on its way (U+FFFD), are refused.</summary>
    [Theory]
    [InlineData("nguyen\u0000van")]
    [InlineData("nguyen\nvan")]
    [InlineData("nguyen\uFFFDvan")]
    public void Names_that_are_not_text_are_refused(string name) =>
        Assert.Equal(["name"], Fields(new ResidentQuery(name, null, "079")));

    /// <summary>A lone surrogate (text cut inside a character) is refused, not folded.</summary>
    [Fact]
    public void A_lone_surrogate_is_refused() =>
        Assert.Equal(["name"], Fields(new ResidentQuery("nguyen\uD800", null, "079")));

    /// <summary>Two hundred characters is the longest name, as for registration.</summary>
    [Fact]
    public void Names_are_at_most_two_hundred_characters()
    {
        Assert.Empty(new ResidentQuery(new string('ơ', 200), null, null).Validate());
        Assert.Equal(["name"], Fields(new ResidentQuery(new string('ơ', 201), null, null)));
    }

    /// <summary>Every refused field is reported at once.</summary>
    [Fact]
    public void Every_refused_field_is_reported_at_once() =>
        Assert.Equal(["name", "birthYear", "province", "limit", "after"], Fields(new ResidentQuery("x\u0001", 1066, "999", 1000, "?")));

    /// <summary>The folded name is the search key; blank or mark-only names have none.</summary>
    [Theory]
    [InlineData("  Nguyễn  Thị Á ", "nguyen thi a")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void The_name_key_is_the_folded_name(string? name, string? key) =>
        Assert.Equal(key, new ResidentQuery(name, null, "079").NameKey);

    private static string[] Fields(ResidentQuery query) => [.. query.Validate().Select(error => error.Field)];
}
