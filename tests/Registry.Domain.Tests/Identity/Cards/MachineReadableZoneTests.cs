using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>The card's machine-readable zone (ICAO Doc 9303 part 5, TD1): composed from the card, read back, every defect refused.</summary>
public sealed class MachineReadableZoneTests
{
    private static readonly DateOnly Today = CardFaceSamples.Today;

    /// <summary>Doc 9303's worked examples and the fields of its TD1 specimen give the check digits Doc 9303 prints for them.</summary>
    [Theory]
    [InlineData("D23145890", '7')]
    [InlineData("520727", '3')]
    [InlineData("AB2134<<<", '5')]
    [InlineData("740812", '2')]
    [InlineData("120415", '9')]
    [InlineData("<<<<<<", '0')]
    public void Check_digits_follow_the_7_3_1_weights(string field, char digit) =>
        Assert.Equal(digit, MachineReadableZone.CheckDigit(field));

    /// <summary>
    /// The TD1 specimen of Doc 9303 part 5 (document I&lt; of Utopia, D23145890, Anna Maria Eriksson, born 1974-08-12,
    /// expiring 2012-04-15), built here from its fields: its check digits are 7, 2, 9 and composite 6.
    /// </summary>
    [Fact]
    public void The_specimen_of_Doc_9303_has_its_printed_composite_check_digit()
    {
        var line1 = ("I<UTO" + "D23145890" + MachineReadableZone.CheckDigit("D23145890")).PadRight(30, '<');
        var line2 = ("740812" + MachineReadableZone.CheckDigit("740812") + "F" + "120415" + MachineReadableZone.CheckDigit("120415") + "UTO").PadRight(29, '<');

        Assert.Equal('7', line1[14]);
        Assert.Equal('2', line2[6]);
        Assert.Equal('9', line2[14]);
        Assert.Equal('6', MachineReadableZone.CompositeCheckDigit(line1, line2 + "<"));
        Assert.Equal("ERIKSSON<<ANNA<MARIA".PadRight(30, '<'), MachineReadableZone.NameField("Eriksson Anna Maria"));
    }

    /// <summary>A check digit is only defined over the zone's alphabet.</summary>
    [Fact]
    public void A_check_digit_over_other_characters_is_refused() =>
        Assert.Throws<ArgumentException>(() => MachineReadableZone.CheckDigit("ab12"));

    /// <summary>Nguyễn Thị Ánh's card, line by line.</summary>
    [Fact]
    public void A_card_composes_to_its_three_lines()
    {
        var zone = MachineReadableZone.For(CardFaceSamples.Anh);

        Assert.Equal("IDVNMC012345672001190123456<<<", zone.Line1);
        Assert.Equal("9005178F3005176VNM<<<<<<<<<<<8", zone.Line2);
        Assert.Equal("NGUYEN<<THI<ANH<<<<<<<<<<<<<<<", zone.Line3);
        Assert.Equal("NGUYEN", zone.Surname);
        Assert.Equal("THI ANH", zone.GivenNames);
        Assert.Equal($"{zone.Line1}\n{zone.Line2}\n{zone.Line3}", zone.ToString());
    }

    /// <summary>A card that does not expire has fillers for its expiry and the check digit 0 (fillers count 0).</summary>
    [Fact]
    public void A_card_that_does_not_expire_has_fillers_and_check_digit_0()
    {
        var face = CardFaceSamples.Anh with { ExpiryDate = null };

        var zone = MachineReadableZone.For(face);

        Assert.Equal("9005178F<<<<<<0VNM<<<<<<<<<<<6", zone.Line2);
        Assert.True(MachineReadableZone.TryParse(zone.ToString(), Today, out var read, out _));
        Assert.Null(read.ExpiryDate);
    }

    /// <summary>A reader that writes '&lt;' as the check digit of a missing expiry is read alike: the composite counts both as 0.</summary>
    [Fact]
    public void A_filler_check_digit_of_a_missing_expiry_is_read_too()
    {
        var zone = MachineReadableZone.For(CardFaceSamples.Anh with { ExpiryDate = null });

        Assert.True(MachineReadableZone.TryParse(Replace(zone.ToString(), 2, 15, "<"), Today, out var read, out var errors), string.Join(" ", errors));
        Assert.Null(read.ExpiryDate);
    }

    /// <summary>Every generated card reads back as the zone it was composed to, and contradicts nothing of its card.</summary>
    [Fact]
    public void Every_card_reads_back_as_composed()
    {
        foreach (var face in CardFaceSamples.Generate(3_000))
        {
            var composed = MachineReadableZone.For(face);

            Assert.True(MachineReadableZone.TryParse(composed.ToString(), Today, out var read, out var errors), $"{composed}: {string.Join(" ", errors)}");
            Assert.Equal(composed, read);
            Assert.Equal(face.BirthDate, read.BirthDate);
            Assert.Equal(face.ExpiryDate, read.ExpiryDate);
            Assert.Equal(face.PersonalIdNumber, read.PersonalIdNumber);
            Assert.Equal(face.DocumentNumber, read.DocumentNumber);
            Assert.Equal(face.Sex, read.Sex);
            Assert.Empty(read.Contradictions(face));
            Assert.All(new[] { read.Line1, read.Line2, read.Line3 }, line => Assert.Matches("^[A-Z0-9<]{30}$", line));
        }
    }

    /// <summary>Line breaks as a scanner sends them: carriage returns before line feeds, and one line feed at the end.</summary>
    [Fact]
    public void Carriage_returns_and_a_final_line_feed_are_read()
    {
        var zone = MachineReadableZone.For(CardFaceSamples.Anh);

        Assert.True(MachineReadableZone.TryParse($"{zone.Line1}\r\n{zone.Line2}\r\n{zone.Line3}\r\n", Today, out var read, out _));
        Assert.Equal(zone, read);
    }

    /// <summary>Transliteration to A–Z: marks and tones dropped, Đ as D, apostrophes skipped, hyphens and spaces separate components.</summary>
    [Theory]
    [InlineData("Nguyễn Văn An", "NGUYEN<<VAN<AN")]
    [InlineData("Đặng Thị Ngọc Hân", "DANG<<THI<NGOC<HAN")]
    [InlineData("  trần   đức  ", "TRAN<<DUC")]
    [InlineData("Hùng", "HUNG")]
    [InlineData("H'Hen Niê", "HHEN<<NIE")]
    [InlineData("Lê Trần-Ưng", "LE<<TRAN<UNG")]
    [InlineData("Søren Æbelø Groß", "SOEREN<<AEBELOE<GROSS")]
    [InlineData("Nguyễn Thị Phương Thảo Nguyên", "NGUYEN<<THI<PHUONG<THAO<NGUYEN")]
    public void Names_are_transliterated_family_name_first(string fullName, string field) =>
        Assert.Equal(field.PadRight(30, '<'), MachineReadableZone.NameField(fullName));

    /// <summary>
    /// A name longer than 30 loses letters from the end of its given names first, each down to its initial, last to
    /// first, so the field is full and ends in a letter (Doc 9303's mark of a truncated name); the family name is cut
    /// only when the given names are initials.
    /// </summary>
    [Theory]
    [InlineData("Nguyễn Thị Phương Thảo Nguyên Khánh", "NGUYEN<<THI<PHUONG<THAO<NGUY<K")]
    [InlineData("Tôn Nữ Thị Hoàng Phương Thảo Nguyên Khánh", "TON<<NU<THI<HOANG<PHUONG<T<N<K")]
    [InlineData("Nilavadhanananda Krasuangchayapadejthamrong Anh Bao", "NILAVADHANANANDA<<KRASUANG<A<B")]
    [InlineData("Wolfeschlegelsteinhausenbergerdorff Anh", "WOLFESCHLEGELSTEINHAUSENBER<<A")]
    public void Long_names_are_truncated_from_the_end_of_the_given_names(string fullName, string field)
    {
        var name = MachineReadableZone.NameField(fullName);

        Assert.Equal(field.PadRight(30, '<'), name);
        Assert.NotEqual('<', name[^1]);
    }

    /// <summary>The century of a birth date comes from the personal ID number, so a holder over 100 reads as born 1920, not 2020.</summary>
    [Fact]
    public void The_personal_ID_number_settles_the_century_of_birth()
    {
        var centenarian = CardFaceSamples.Generate(1).Single() with
        {
            PersonalIdNumber = Registry.Contracts.Identity.PersonalIdNumber.Create(
                Registry.Contracts.Identity.IdNumberPrefix.For("001", Sex.Male, new DateOnly(1920, 3, 1)), 42),
            BirthDate = new DateOnly(1920, 3, 1),
            Sex = Sex.Male,
        };

        Assert.True(MachineReadableZone.TryParse(MachineReadableZone.For(centenarian).ToString(), Today, out var read, out _));
        Assert.Equal(new DateOnly(1920, 3, 1), read.BirthDate);
    }

    /// <summary>
    /// Without the number's help (its year digits differ), a birth date is the latest such date not after today, and an
    /// expiry lies within 50 years either side of today; an expired card still reads, with its past expiry.
    /// </summary>
    [Theory]
    [InlineData("2025-01-01", "2040-05-17", "2025-01-01", "2040-05-17")]
    [InlineData("1927-01-01", "2075-12-31", "1927-01-01", "2075-12-31")]
    [InlineData("2026-11-28", "1977-01-01", "2026-11-28", "1977-01-01")]
    [InlineData("1926-11-29", "2020-06-30", "1926-11-29", "2020-06-30")]
    public void Two_digit_years_are_read_against_today(string birthDate, string expiryDate, string readBirthDate, string readExpiryDate)
    {
        var face = CardFaceSamples.Anh with { BirthDate = Date(birthDate), ExpiryDate = Date(expiryDate) };

        Assert.True(MachineReadableZone.TryParse(MachineReadableZone.For(face).ToString(), Today, out var read, out var errors), string.Join(" ", errors));
        Assert.Equal(Date(readBirthDate), read.BirthDate);
        Assert.Equal(Date(readExpiryDate), read.ExpiryDate);
    }

    /// <summary>
    /// Each defect of a scanned zone is refused with a reason naming the line, the positions and the field — each of
    /// the four check digits by name — and nothing is read.
    /// </summary>
    [Theory]
    [InlineData(1, 15, "3", "Line 1, document number check digit (position 15): the zone has '3', but the document number gives 2.")]
    [InlineData(1, 9, "9", "Line 1, document number check digit (position 15): the zone has '2', but the document number gives 1.")]
    [InlineData(2, 7, "1", "Line 2, birth date check digit (position 7): the zone has '1', but the birth date gives 8.")]
    [InlineData(2, 6, "8", "Line 2, birth date check digit (position 7): the zone has '8', but the birth date gives 9.")]
    [InlineData(2, 15, "0", "Line 2, expiry check digit (position 15): the zone has '0', but the expiry gives 6.")]
    [InlineData(2, 30, "0", "Line 2, composite check digit (position 30): the zone has '0', but line 1 positions 6–30 and line 2 positions 1–7, 9–15 and 19–29 gives 8.")]
    [InlineData(1, 1, "I<", "Line 1, document code (positions 1–2): 'I<' is not ID")]
    [InlineData(1, 3, "UTO", "Line 1, issuing state (positions 3–5): 'UTO' is not VNM")]
    [InlineData(1, 6, "C0123456<", "Line 1, document number (positions 6–14): 'C0123456<' is not the number of a Vietnamese card")]
    [InlineData(1, 16, "003", "Line 1, personal ID number (positions 16–27): '003' is not a province code.")]
    [InlineData(1, 28, "1", "Line 1, optional data after the personal ID number (positions 28–30): '1<<' is not <<<")]
    [InlineData(2, 1, "901317", "Line 2, birth date (positions 1–6): '901317' is not a date")]
    [InlineData(2, 1, "900230", "Line 2, birth date (positions 1–6): '900230' is not a date")]
    [InlineData(2, 1, "910229", "Line 2, birth date (positions 1–6): '910229' is not a date (YYMMDD; read as year 1991).")]
    [InlineData(2, 1, "90O517", "Line 2, birth date (positions 1–6): '90O517' is not a date (YYMMDD, digits only).")]
    [InlineData(2, 8, "X", "Line 2, sex (position 8): 'X' is not M, F or <.")]
    [InlineData(2, 9, "301332", "Line 2, expiry (positions 9–14): '301332' is not a date")]
    [InlineData(2, 16, "UTO", "Line 2, nationality (positions 16–18): 'UTO' is not VNM")]
    [InlineData(2, 19, "A", "Line 2, optional data (positions 19–29): 'A<<<<<<<<<<' is not")]
    [InlineData(3, 1, "<<", "Line 3, name: it starts with a filler")]
    [InlineData(3, 13, "<", "Line 3, name: the given names hold two fillers in a row")]
    [InlineData(3, 3, "7", "Line 3, name: digits are not part of a name.")]
    [InlineData(3, 1, "n", "Line 3, position 1: 'n' is a lower-case letter; the zone is written in capitals.")]
    [InlineData(1, 20, "-", "Line 1, position 20: '-' is not A–Z, 0–9 or <.")]
    public void A_defective_zone_is_refused_naming_the_line_and_field(int line, int position, string replacement, string error)
    {
        var text = Replace(MachineReadableZone.For(CardFaceSamples.Anh).ToString(), line, position, replacement);

        Assert.False(MachineReadableZone.TryParse(text, Today, out var zone, out var errors));
        Assert.Null(zone);
        Assert.All(errors, e => Assert.Equal("mrz", e.Field));
        Assert.Contains(errors, e => e.Message.StartsWith(error, StringComparison.Ordinal));
    }

    /// <summary>A wrong check digit is named alone when only it is wrong: the composite covers the data, not the other way round.</summary>
    [Fact]
    public void A_wrong_composite_check_digit_is_the_only_refusal()
    {
        var text = Replace(MachineReadableZone.For(CardFaceSamples.Anh).ToString(), 2, 30, "0");

        Assert.False(MachineReadableZone.TryParse(text, Today, out _, out var errors));
        Assert.StartsWith("Line 2, composite check digit", Assert.Single(errors).Message, StringComparison.Ordinal);
    }

    /// <summary>A zone of the wrong shape is refused before any field is read: missing, too few or too many lines, a line of the wrong length.</summary>
    [Theory]
    [InlineData(null, "The machine-readable zone is required")]
    [InlineData("", "The machine-readable zone is required")]
    [InlineData("IDVNMC012345672001190123456<<<\n9005178F3005176VNM<<<<<<<<<<<8", "this has 2 lines.")]
    [InlineData("IDVNMC012345672001190123456<<<\n9005178F3005176VNM<<<<<<<<<<<8\nNGUYEN<<THI<ANH<<<<<<<<<<<<<<<\nX", "this has 4 lines.")]
    [InlineData("IDVNMC012345672001190123456<<<\n9005178F3005176VNM<<<<<<<<<<8\nNGUYEN<<THI<ANH<<<<<<<<<<<<<<<", "Line 2 has 29 characters; each line has 30.")]
    [InlineData("IDVNMC012345672001190123456<<<<\n9005178F3005176VNM<<<<<<<<<<<8\nNGUYEN<<THI<ANH<<<<<<<<<<<<<<<", "Line 1 has 31 characters; each line has 30.")]
    [InlineData("IDVNMC012345672001190123456<<<\n9005178F3005176VNM<<<<<<<<<<<8\nnguyen<<thi<anh<<<<<<<<<<<<<<<", "Line 3, position 1: 'n' is a lower-case letter")]
    public void A_zone_of_the_wrong_shape_is_refused(string? text, string error)
    {
        Assert.False(MachineReadableZone.TryParse(text, Today, out var zone, out var errors));
        Assert.Null(zone);
        Assert.Contains(errors, e => e.Message.Contains(error, StringComparison.Ordinal));
    }

    /// <summary>The errors name the request field that carried the zone.</summary>
    [Fact]
    public void Errors_name_the_request_field()
    {
        Assert.False(MachineReadableZone.TryParse("x", Today, out _, out var errors, field: "machineReadableZone"));
        Assert.Equal("machineReadableZone", Assert.Single(errors).Field);
    }

    /// <summary>
    /// A zone is compared with the registry's card field by field, naming only the fields. The zone cannot tell names
    /// apart that differ only in marks: that is the QR payload's and the chip's work.
    /// </summary>
    [Theory]
    [InlineData("documentNumber")]
    [InlineData("birthDate")]
    [InlineData("sex")]
    [InlineData("expiryDate")]
    [InlineData("fullName")]
    [InlineData("personalIdNumber")]
    [InlineData(null)]
    public void A_zone_names_the_fields_that_contradict_the_card(string? field)
    {
        var zone = MachineReadableZone.For(CardFaceSamples.Anh);
        var anh = CardFaceSamples.Anh;
        var registry = field switch
        {
            "documentNumber" => anh with { DocumentNumber = "C01234568" },
            "birthDate" => anh with { BirthDate = new DateOnly(1990, 5, 18) },
            "sex" => anh with { Sex = Sex.Male },
            "expiryDate" => anh with { ExpiryDate = null },
            "fullName" => anh with { FullName = "Nguyễn Thị Ánh Hồng" },
            "personalIdNumber" => anh with { PersonalIdNumber = Registry.Contracts.Identity.PersonalIdNumber.Create(anh.PersonalIdNumber.Prefix, 123_457) },
            _ => anh with { FullName = "Nguyễn Thị Anh" },
        };

        Assert.Equal(field is null ? Array.Empty<string>() : [field], zone.Contradictions(registry));
    }

    private static DateOnly Date(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The zone with <paramref name="replacement"/> written over line <paramref name="line"/> from position <paramref name="position"/> (1-based, as Doc 9303 counts).</summary>
    private static string Replace(string zone, int line, int position, string replacement)
    {
        var lines = zone.Split('\n');
        var target = lines[line - 1];
        lines[line - 1] = target[..(position - 1)] + replacement + target[(position - 1 + replacement.Length)..];
        return string.Join('\n', lines);
    }
}
