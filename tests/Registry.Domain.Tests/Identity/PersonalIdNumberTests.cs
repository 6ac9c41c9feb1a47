using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Domain.Tests.Identity;

/// <summary>The structure of personal ID numbers (Decree 137/2015, Circular 07/2016/TT-BCA).</summary>
public sealed class PersonalIdNumberTests
{
    /// <summary>The sex/century digit follows the decree's table for every century it covers.</summary>
    [Theory]
    [InlineData(Sex.Male, 1900, 0)]
    [InlineData(Sex.Female, 1999, 1)]
    [InlineData(Sex.Male, 2000, 2)]
    [InlineData(Sex.Female, 2099, 3)]
    [InlineData(Sex.Male, 2150, 4)]
    [InlineData(Sex.Female, 2150, 5)]
    [InlineData(Sex.Male, 2200, 6)]
    [InlineData(Sex.Female, 2299, 7)]
    [InlineData(Sex.Male, 2300, 8)]
    [InlineData(Sex.Female, 2399, 9)]
    public void The_sex_and_century_digit_follows_the_decree(Sex sex, int year, int digit)
    {
        Assert.Equal(digit, SexCenturyDigit.Encode(sex, year));
        Assert.Equal((sex, year / 100 * 100), SexCenturyDigit.Decode(digit));
    }

    /// <summary>Years outside 1900–2399 have no digit.</summary>
    [Theory]
    [InlineData(1899)]
    [InlineData(2400)]
    public void Years_outside_the_scheme_have_no_digit(int year) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SexCenturyDigit.Encode(Sex.Male, year));

    /// <summary>The prefix is birth province, sex/century digit and the last two digits of the birth year.</summary>
    [Theory]
    [InlineData("001", Sex.Male, "1990-05-17", "001090")]
    [InlineData("079", Sex.Female, "1987-01-01", "079187")]
    [InlineData("048", Sex.Female, "2005-12-31", "048305")]
    [InlineData("096", Sex.Male, "2000-02-29", "096200")]
    public void The_prefix_encodes_province_sex_century_and_year(string province, Sex sex, string birthDate, string prefix) =>
        Assert.Equal(prefix, IdNumberPrefix.For(province, sex, DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture)).Value);

    /// <summary>A number is 12 ASCII digits starting with one of the 63 province codes; anything else is refused with a reason.</summary>
    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("00109012345", "12 digits")]
    [InlineData("0010901234567", "12 digits")]
    [InlineData("00109012345a", "only the digits")]
    [InlineData("001090 12345", "only the digits")]
    [InlineData("００１０９０１２３４５６", "only the digits")]
    [InlineData("999090123456", "not a province code")]
    [InlineData("003090123456", "not a province code")]
    public void Malformed_numbers_are_refused_with_a_reason(string? text, string reason)
    {
        Assert.False(PersonalIdNumber.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    /// <summary>A well-formed number parses, and its parts read back.</summary>
    [Fact]
    public void A_well_formed_number_parses_into_its_parts()
    {
        Assert.True(PersonalIdNumber.TryParse("079190515423", out var number, out var error));

        Assert.Null(error);
        Assert.Equal("079", number.BirthRegistrationProvince);
        Assert.Equal("079190", number.Prefix.Value);
        Assert.True(number.IsConsistentWith(new DateOnly(1990, 5, 17), Sex.Female));
        Assert.False(number.IsConsistentWith(new DateOnly(1990, 5, 17), Sex.Male));
        Assert.False(number.IsConsistentWith(new DateOnly(2090, 5, 17), Sex.Female));
    }

    /// <summary>A number is the prefix followed by the zero-padded serial.</summary>
    [Fact]
    public void A_number_is_its_prefix_and_a_padded_serial()
    {
        var prefix = IdNumberPrefix.For("001", Sex.Male, new DateOnly(1990, 1, 1));

        Assert.Equal("001090000042", PersonalIdNumber.Create(prefix, 42).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => PersonalIdNumber.Create(prefix, PersonalIdNumber.SerialsPerPrefix));
    }
}
