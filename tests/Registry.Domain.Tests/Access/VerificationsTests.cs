using Registry.Contracts.Residents;
using Registry.Domain.Access;
using Registry.Domain.Tests.Residents;

namespace Registry.Domain.Tests.Access;

/// <summary>A verification answers match only when every declared detail is the record's, and never says which one differed.</summary>
public sealed class VerificationsTests
{
    private static readonly ResidentRecord Anh = People.Anh with { Hometown = "Huế", Ethnicity = "Kinh" };

    /// <summary>Declared details against Nguyễn Thị Ánh, born 1990-05-17, female, of Hà Nội (001), hometown Huế.</summary>
    [Theory]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, null, null, VerificationResult.Match)]
    [InlineData("  nguyễn   THỊ ánh ", "1990-05-17", Sex.Female, null, null, VerificationResult.Match)]
    [InlineData("Nguyen Thi Anh", "1990-05-17", Sex.Female, null, null, VerificationResult.Match)]
    [InlineData("Nguyễn Thị Anh", "1990-05-17", Sex.Female, null, null, VerificationResult.NoMatch)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-18", Sex.Female, null, null, VerificationResult.NoMatch)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Male, null, null, VerificationResult.NoMatch)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "hometown", "hue", VerificationResult.Match)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "hometown", "Hà Nội", VerificationResult.NoMatch)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "birthRegistrationProvince", "001", VerificationResult.Match)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "permanentResidenceProvince", "079", VerificationResult.NoMatch)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "nationality", "vietnamese", VerificationResult.Match)]
    [InlineData("Nguyễn Thị Ánh", "1990-05-17", Sex.Female, "religion", "Không", null)]
    public void Declared_details_are_compared_with_the_record(string name, string birthDate, Sex sex, string? other, string? value, VerificationResult? expected)
    {
        var declared = new DeclaredDetails(name, DateOnly.Parse(birthDate, System.Globalization.CultureInfo.InvariantCulture), sex,
            other is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [other] = value! });

        if (expected is { } result)
        {
            Assert.Equal(result, Verifications.Compare(declared, Anh));
        }
        else
        {
            // Not a detail a verification compares: the API refuses it before it gets here.
            Assert.Throws<ArgumentOutOfRangeException>(() => Verifications.Compare(declared, Anh));
        }
    }

    /// <summary>An unknown number answers no match, like a wrong detail, so that verification never tells who is registered.</summary>
    [Fact]
    public void Nobody_is_no_match() =>
        Assert.Equal(VerificationResult.NoMatch, Verifications.Compare(new DeclaredDetails("Nguyễn Thị Ánh", Anh.BirthDate, Sex.Female, new Dictionary<string, string>()), null));

    /// <summary>Names: case and spacing never matter; marks matter only when written; đ folds to d only when written without marks.</summary>
    [Theory]
    [InlineData("Đỗ Văn Lê", "Do Van Le", true)]
    [InlineData("Đỗ Văn Lê", "đỗ văn lê", true)]
    [InlineData("Đỗ Văn Lê", "Đỗ Văn Lệ", false)]
    [InlineData("Đỗ Văn Lê", "Đỗ Văn", false)]
    [InlineData("Đỗ Văn Lê", "Do Van Le Anh", false)]
    public void Names_match_by_folding_unless_written_with_marks(string recorded, string declared, bool matches) =>
        Assert.Equal(matches, Verifications.NamesMatch(declared, recorded));
}
