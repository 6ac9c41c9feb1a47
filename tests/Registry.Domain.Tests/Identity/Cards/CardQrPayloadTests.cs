using System.Text;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>The QR payload printed on the chip card: composed from the card, read back, defects refused, contradictions named.</summary>
public sealed class CardQrPayloadTests
{
    private const string AnhPayload = "001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024";

    private static readonly CardFace Anh = CardFaceSamples.Anh with { PreviousIdNumber = "012345678" };

    /// <summary>Nguyễn Thị Ánh's card: the seven fields in the observed order.</summary>
    [Fact]
    public void A_card_composes_to_its_payload()
    {
        Assert.Equal(AnhPayload, CardQrPayload.For(Anh).ToString());
        Assert.Equal(
            "001190123456||Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024",
            CardQrPayload.For(CardFaceSamples.Anh).ToString());
    }

    /// <summary>Every generated card's payload reads back as composed and contradicts nothing of its card.</summary>
    [Fact]
    public void Every_card_reads_back_as_composed()
    {
        foreach (var face in CardFaceSamples.Generate(3_000))
        {
            var composed = CardQrPayload.For(face);

            Assert.True(CardQrPayload.TryParse(composed.ToString(), out var read, out var errors), $"{composed}: {string.Join(" ", errors)}");
            Assert.Equal(composed, read);
            Assert.Empty(CardQrPayload.Contradictions(read, face));
        }
    }

    /// <summary>A scanner that hands over decomposed letters (NFD) is read as the same text.</summary>
    [Fact]
    public void Decomposed_text_is_read_as_composed()
    {
        Assert.True(CardQrPayload.TryParse(AnhPayload.Normalize(NormalizationForm.FormD), out var read, out _));
        Assert.Equal(CardQrPayload.For(Anh), read);
        Assert.Equal(Sex.Female, read.Sex);
    }

    /// <summary>Each defect is refused naming the field by its position and meaning, and nothing is read.</summary>
    [Theory]
    [InlineData(null, "The QR payload is required")]
    [InlineData("", "The QR payload is required")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc", "has 7 fields separated by '|' (ID number, earlier ID number, name, birth date, sex, address, issue date); this has 6.")]
    [InlineData(AnhPayload + "|", "this has 8.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng|Bạc|01072024", "this has 8.")]
    [InlineData("00119012345|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc|01072024", "Field 1 (personal ID number): A personal ID number has 12 digits")]
    [InlineData("001190123456|12345|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc|01072024", "Field 2 (earlier ID number): '12345' is neither empty nor 9 digits.")]
    [InlineData("001190123456|012345678| |17051990|Nữ|12 Hàng Bạc|01072024", "Field 3 (full name) is empty.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|32051990|Nữ|12 Hàng Bạc|01072024", "Field 4 (birth date): '32051990' is not a date written ddMMyyyy.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|29021990|Nữ|12 Hàng Bạc|01072024", "Field 4 (birth date): '29021990' is not a date")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|1990-05-17|Nữ|12 Hàng Bạc|01072024", "Field 4 (birth date): '1990-05-17' is not a date")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nu|12 Hàng Bạc|01072024", "Field 5 (sex): 'Nu' is neither Nam nor Nữ.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|nữ|12 Hàng Bạc|01072024", "Field 5 (sex): 'nữ' is neither Nam nor Nữ.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Female|12 Hàng Bạc|01072024", "Field 5 (sex): 'Female' is neither Nam nor Nữ.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ||01072024", "Field 6 (permanent address) is empty.")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc|1072024", "Field 7 (issue date): '1072024' is not a date")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc|16051990", "Field 7 (issue date): before the birth date in field 4.")]
    public void A_defective_payload_is_refused_naming_the_field(string? text, string error)
    {
        Assert.False(CardQrPayload.TryParse(text, out var payload, out var errors));
        Assert.Null(payload);
        Assert.All(errors, e => Assert.Equal("qr", e.Field));
        Assert.Contains(errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }

    /// <summary>Every defect of one payload is reported at once, so that a caller can see them all.</summary>
    [Fact]
    public void Every_defect_is_reported_at_once()
    {
        Assert.False(CardQrPayload.TryParse("1|2|Ánh|3|Nu||4", out _, out var errors, field: "qrPayload"));
        Assert.Equal(6, errors.Count);
        Assert.All(errors, e => Assert.Equal("qrPayload", e.Field));
    }

    /// <summary>
    /// Each field that says something else than the registry's card is named, and only the name of the field: case and
    /// spacing are not a contradiction, a tone mark is ("Ánh" and "Anh" are different names).
    /// </summary>
    [Theory]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024")]
    [InlineData("001190123456|012345678|NGUYỄN  THỊ ÁNH|17051990|Nữ|12 HÀNG BẠC,  phường Hoàn Kiếm, Thành phố Hà Nội|01072024")]
    [InlineData("001190123457|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024", "personalIdNumber")]
    [InlineData("001190123456|987654321|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024", "previousIdNumber")]
    [InlineData("001190123456||Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024", "previousIdNumber")]
    [InlineData("001190123456|012345678|Nguyễn Thị Anh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024", "fullName")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|18051990|Nam|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|01072024", "birthDate", "sex")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|5 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh|01072024", "permanentAddress")]
    [InlineData("001190123456|012345678|Nguyễn Thị Ánh|17051990|Nữ|12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội|02072024", "issueDate")]
    [InlineData("001190123457|123456789|Nguyễn Văn Ánh|17051991|Nam|5 Lê Lợi|02072024", "personalIdNumber", "previousIdNumber", "fullName", "birthDate", "sex", "permanentAddress", "issueDate")]
    public void A_payload_names_the_fields_that_contradict_the_card(string text, params string[] fields)
    {
        Assert.True(CardQrPayload.TryParse(text, out var payload, out var errors), string.Join(" ", errors));

        Assert.Equal(fields, CardQrPayload.Contradictions(payload, Anh));
    }

    /// <summary>An earlier ID number the registry does not know contradicts nothing: the registry cannot tell.</summary>
    [Fact]
    public void An_earlier_number_unknown_to_the_registry_is_not_compared()
    {
        Assert.True(CardQrPayload.TryParse(AnhPayload, out var payload, out _));

        Assert.Empty(CardQrPayload.Contradictions(payload, CardFaceSamples.Anh));
    }

    /// <summary>The format has no escape for '|': a card whose address holds one cannot be printed and says why.</summary>
    [Fact]
    public void A_field_holding_the_separator_cannot_be_composed()
    {
        var error = Assert.Throws<ArgumentException>(() => CardQrPayload.For(CardFaceSamples.Anh with { PermanentAddress = "12 Hàng Bạc | Hà Nội" }));
        Assert.Contains("permanentAddress", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A card face refuses a document number that is not 9 letters or digits, and an earlier ID number that is not 9 digits.</summary>
    [Theory]
    [InlineData("C0123456", null)]
    [InlineData("c01234567", null)]
    [InlineData("C0123456<", null)]
    [InlineData("C01234567", "12345678")]
    [InlineData("C01234567", "01234567a")]
    public void A_card_face_refuses_malformed_numbers(string documentNumber, string? previousIdNumber) =>
        Assert.Throws<ArgumentException>(() => CardFaceSamples.Anh with { DocumentNumber = documentNumber, PreviousIdNumber = previousIdNumber });
}
