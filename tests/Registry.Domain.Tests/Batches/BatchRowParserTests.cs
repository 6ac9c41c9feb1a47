using Registry.Contracts;
using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Batches;

namespace Registry.Domain.Tests.Batches;

/// <summary>Rows of a batch file read into commands, and every bad input refused naming its field.</summary>
public sealed class BatchRowParserTests
{
    private const string FullHeader =
        "kind,fullName,birthDate,sex,birthRegistrationProvince,otherNames,hometown,ethnicity,religion,nationality," +
        "identityCertificate.issuedOn,identityCertificate.commune,identityCertificate.livingInCommuneSince,permanentAddress," +
        "mother,father,spouse,guardian,issuedNumber,confirmedNotDuplicate,personalIdNumber,field,value,reason,documentReference";

    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly Actor Officer = new("officer-79", ActorRole.ProvincialOfficer, "079");
    private static readonly BatchRowParser Ndjson = BatchRowParser.ForNdjson("hcm-2026-11-28", Officer);
    private static readonly BatchRowParser Csv = BatchRowParser.ForCsv("hcm-2026-11-28", Officer, FullHeader).Parser!;

    /// <summary>A full NDJSON registration becomes the command with every field, the row's key and the uploader as actor.</summary>
    [Fact]
    public void An_NDJSON_registration_becomes_a_registration_command()
    {
        var row = Ndjson.Parse(7,
            """
            {"kind":"registration","fullName":"Nguyễn Thị Ánh","birthDate":"1990-05-17","sex":"female","birthRegistrationProvince":"079",
             "otherNames":["Ánh Nguyễn"],"hometown":"Huế","ethnicity":"Kinh","religion":"Không","nationality":"vietnamese",
             "permanentAddress":"12 Lê Lợi, Quận 1","mother":"079160000001","issuedNumber":"079190123456","confirmedNotDuplicate":true}
            """.ReplaceLineEndings(""), Today);

        var command = Assert.IsType<RegistrationRow>(row).Command;
        Assert.Equal("batch:hcm-2026-11-28:7", command.IdempotencyKey);
        Assert.Equal(Officer, command.Actor);
        Assert.Equal(("Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "079"), (command.FullName, command.BirthDate, command.Sex, command.BirthRegistrationProvince));
        Assert.Equal(["Ánh Nguyễn"], command.OtherNames);
        Assert.Equal(("Huế", "Kinh", "Không", "12 Lê Lợi, Quận 1"), (command.Hometown, command.Ethnicity, command.Religion, command.PermanentAddress));
        Assert.Equal("079160000001", command.Family.Mother?.Value);
        Assert.Equal("079190123456", command.IssuedNumber?.Value);
        Assert.True(command.ConfirmedNotDuplicate);
        Assert.Equal(["079190123456", "079160000001"], row.People.Select(number => number.Value));
    }

    /// <summary>A CSV registration reads the same fields by column, other names separated by ";", empty cells not given.</summary>
    [Fact]
    public void A_CSV_registration_becomes_a_registration_command()
    {
        var row = Csv.Parse(2, "registration,\"Trần Văn Bình, con\",1987-03-09,male,001,Bình; Tí,,,,,,,,,,,,,,false,,,,,", Today);

        var command = Assert.IsType<RegistrationRow>(row).Command;
        Assert.Equal("batch:hcm-2026-11-28:2", command.IdempotencyKey);
        Assert.Equal("Trần Văn Bình, con", command.FullName);
        Assert.Equal(["Bình", " Tí"], command.OtherNames);
        Assert.Null(command.Hometown);
        Assert.Null(command.IssuedNumber);
        Assert.False(command.ConfirmedNotDuplicate);
        Assert.Empty(row.People);
    }

    /// <summary>A person of undetermined nationality is read with the three parts of their identity certificate, in both formats.</summary>
    [Fact]
    public void The_identity_certificate_is_read_from_an_object_or_dotted_columns()
    {
        var fromJson = Ndjson.Parse(1,
            """{"kind":"registration","fullName":"Lê Văn Tư","birthDate":"1980-01-01","sex":"male","birthRegistrationProvince":"079","nationality":"undeterminedVietnameseOrigin","identityCertificate":{"issuedOn":"2025-06-01","commune":"Phường Bến Nghé","livingInCommuneSince":"2024-01-01"}}""",
            Today);
        var fromCsv = Csv.Parse(1, "registration,Lê Văn Tư,1980-01-01,male,079,,,,,undeterminedVietnameseOrigin,2025-06-01,Phường Bến Nghé,2024-01-01,,,,,,,,,,,,", Today);

        var expected = new IdentityCertificate(new DateOnly(2025, 6, 1), "Phường Bến Nghé", new DateOnly(2024, 1, 1));
        Assert.Equal(expected, Assert.IsType<RegistrationRow>(fromJson).Command.IdentityCertificate);
        Assert.Equal(expected, Assert.IsType<RegistrationRow>(fromCsv).Command.IdentityCertificate);
        Assert.Equal(NationalityStatus.UndeterminedVietnameseOrigin, ((RegistrationRow)fromCsv).Command.Nationality);
    }

    /// <summary>An amendment row becomes an amendment of one field, addressed to the person, with the row's id.</summary>
    [Fact]
    public void An_amendment_row_becomes_an_amendment_of_one_field()
    {
        var fromJson = Ndjson.Parse(3,
            """{"kind":"amendment","personalIdNumber":"079190123456","field":"spouse","value":"079088000123","reason":"Kết hôn","documentReference":"QĐ-12/2026"}""",
            Today);
        var fromCsv = Csv.Parse(4, "amendment,,,,,,,,,,,,,,,,,,,,079190123456,hometown,,Sai sót,QĐ-13/2026", Today);

        var amendment = Assert.IsType<AmendmentRow>(fromJson);
        Assert.Equal("079190123456", amendment.PersonalIdNumber.Value);
        Assert.Equal(new AmendResident("batch:hcm-2026-11-28:3", Officer, "Kết hôn", "QĐ-12/2026", [new FieldChange("spouse", "079088000123")]), amendment.Command);
        Assert.Equal(["079190123456", "079088000123"], amendment.People.Select(number => number.Value));
        // An empty value clears the field.
        Assert.Equal([new FieldChange("hometown", null)], Assert.IsType<AmendmentRow>(fromCsv).Command.Changes);
    }

    /// <summary>Each bad NDJSON row is rejected with an error naming the field it concerns.</summary>
    [Theory]
    [InlineData("""{"kind":"registration","fullName":""", "row")]
    [InlineData("""["registration"]""", "row")]
    [InlineData("""{"fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079"}""", "kind")]
    [InlineData("""{"kind":"birth","fullName":"Nguyễn An"}""", "kind")]
    [InlineData("""{"kind":"registration","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079"}""", "fullName")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"17/05/1990","sex":"male","birthRegistrationProvince":"079"}""", "birthDate")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"2999-01-01","sex":"male","birthRegistrationProvince":"079"}""", "birthDate")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"m","birthRegistrationProvince":"079"}""", "sex")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":79}""", "birthRegistrationProvince")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"999"}""", "birthRegistrationProvince")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","otherNames":"An"}""", "otherNames")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","nationality":"french"}""", "nationality")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","mother":"12345"}""", "mother")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","issuedNumber":"079290123456"}""", "issuedNumber")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","confirmedNotDuplicate":"yes"}""", "confirmedNotDuplicate")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","nickname":"An"}""", "nickname")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079","reason":"x"}""", "reason")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","fullName":"Lê An","birthDate":"1990-01-01","sex":"male","birthRegistrationProvince":"079"}""", "fullName")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1980-01-01","sex":"male","birthRegistrationProvince":"079","nationality":"undeterminedVietnameseOrigin","identityCertificate":{"issuedOn":"2025-06-01"}}""", "identityCertificate")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1980-01-01","sex":"male","birthRegistrationProvince":"079","nationality":"undeterminedVietnameseOrigin","identityCertificate":{"issuedOn":"June","commune":"X","livingInCommuneSince":"2024-01-01"}}""", "identityCertificate.issuedOn")]
    [InlineData("""{"kind":"registration","fullName":"Nguyễn An","birthDate":"1980-01-01","sex":"male","birthRegistrationProvince":"079","nationality":"undeterminedVietnameseOrigin"}""", "identityCertificate")]
    [InlineData("""{"kind":"amendment","field":"hometown","value":"Huế","reason":"r","documentReference":"d"}""", "personalIdNumber")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","field":"height","value":"1m70","reason":"r","documentReference":"d"}""", "field")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","value":"Huế","reason":"r","documentReference":"d"}""", "field")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","field":"hometown","value":"Huế","documentReference":"d"}""", "reason")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","field":"hometown","value":"Huế","reason":"r"}""", "documentReference")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","field":"hometown","value":"Huế","reason":"r","documentReference":"d","sex":"male"}""", "sex")]
    public void Bad_NDJSON_rows_are_rejected_naming_the_field(string text, string field)
    {
        var row = Assert.IsType<UnreadableRow>(Ndjson.Parse(1, text, Today));

        Assert.Contains(row.Errors, error => error.Field == field);
        Assert.All(row.Errors, error => Assert.False(string.IsNullOrWhiteSpace(error.Message)));
    }

    /// <summary>Each bad CSV row is rejected with an error naming the field (column) it concerns.</summary>
    [Theory]
    [InlineData("registration,Nguyễn An,1990-01-01,male,079", "row")]
    [InlineData("registration,Nguyễn \"An\",1990-01-01,male,079,,,,,,,,,,,,,,,,,,,,", "row")]
    [InlineData(",Nguyễn An,1990-01-01,male,079,,,,,,,,,,,,,,,,,,,,", "kind")]
    [InlineData("registration,,1990-01-01,male,079,,,,,,,,,,,,,,,,,,,,", "fullName")]
    [InlineData("registration,Nguyễn An,1990-1-1,male,079,,,,,,,,,,,,,,,,,,,,", "birthDate")]
    [InlineData("registration,Nguyễn An,1990-01-01,nam,079,,,,,,,,,,,,,,,,,,,,", "sex")]
    [InlineData("registration,Nguyễn An,1990-01-01,male,079,An;;Bình,,,,,,,,,,,,,,,,,,,", "otherNames")]
    [InlineData("registration,Nguyễn An,1990-01-01,male,079,,,,,,,,,,,,,,,TRUE,,,,,", "confirmedNotDuplicate")]
    [InlineData("registration,Nguyễn An,1990-01-01,male,079,,,,,,,,,,,,,,,,,,,reason,", "reason")]
    [InlineData("amendment,,,,,,,,,,,,,,,,,,,,079190123456,hometown,Huế,,QĐ-1", "reason")]
    [InlineData("amendment,Nguyễn An,,,,,,,,,,,,,,,,,,,079190123456,hometown,Huế,r,QĐ-1", "fullName")]
    public void Bad_CSV_rows_are_rejected_naming_the_field(string text, string field)
    {
        var row = Assert.IsType<UnreadableRow>(Csv.Parse(1, text, Today));

        Assert.Contains(row.Errors, error => error.Field == field);
    }

    /// <summary>Every faulty field of a row is reported at once, so that a province fixes the row in one go.</summary>
    [Fact]
    public void Every_faulty_field_is_reported_at_once()
    {
        var row = Assert.IsType<UnreadableRow>(Ndjson.Parse(1, """{"kind":"registration","birthDate":"yesterday","sex":"?","mother":"x"}""", Today));

        Assert.Equal(["fullName", "birthDate", "sex", "birthRegistrationProvince", "mother"], row.Errors.Select(error => error.Field));
    }

    /// <summary>A CSV header missing a required column, naming an unknown or repeated one, or without kind is refused naming the column.</summary>
    [Theory]
    [InlineData("kind,fullName,birthDate,birthRegistrationProvince", "sex")]
    [InlineData("fullName,birthDate,sex,birthRegistrationProvince", "kind")]
    [InlineData("kind,fullName,birthDate,sex,birthRegistrationProvince,fullname", "fullname")]
    [InlineData("kind,fullName,birthDate,sex,birthRegistrationProvince,sex", "sex")]
    [InlineData("kind,personalIdNumber,field,reason,documentReference", "value")]
    [InlineData("kind,fullName,\"birth\"Date,sex,birthRegistrationProvince", "header")]
    public void A_header_missing_or_misnaming_a_column_is_refused_naming_it(string header, string column)
    {
        var (parser, errors) = BatchRowParser.ForCsv("b", Officer, header);

        Assert.Null(parser);
        Assert.Contains(errors, error => error.Field == column);
    }

    /// <summary>A header with only the registration columns, or only the amendment columns, is enough for files of one kind.</summary>
    [Theory]
    [InlineData("kind,fullName,birthDate,sex,birthRegistrationProvince")]
    [InlineData("kind,personalIdNumber,field,value,reason,documentReference")]
    [InlineData("birthRegistrationProvince,sex,birthDate,fullName,kind")]
    public void A_header_with_the_columns_of_one_kind_is_accepted(string header) =>
        Assert.Empty(BatchRowParser.ForCsv("b", Officer, header).Errors);

    /// <summary>Columns are read by name, whatever their order, and quoted fields may hold commas and quotes.</summary>
    [Fact]
    public void Columns_are_read_by_name_and_quoted_fields_unescaped()
    {
        var parser = BatchRowParser.ForCsv("b", Officer, "birthRegistrationProvince,sex,kind,birthDate,fullName,permanentAddress").Parser!;

        var row = parser.Parse(1, "079,female,registration,1990-05-17,Phạm Thị Hồng,\"Số 5, hẻm \"\"Cây Me\"\", Quận 3\"", Today);

        var command = Assert.IsType<RegistrationRow>(row).Command;
        Assert.Equal("Phạm Thị Hồng", command.FullName);
        Assert.Equal("Số 5, hẻm \"Cây Me\", Quận 3", command.PermanentAddress);
    }

    /// <summary>A CSV record splits at commas outside quotes; a quoted field keeps its newlines; a stray quote is refused.</summary>
    [Theory]
    [InlineData("a,b,,c", new[] { "a", "b", "", "c" })]
    [InlineData("\"x,y\",\"say \"\"hi\"\"\",", new[] { "x,y", "say \"hi\"", "" })]
    [InlineData("a,\"two\nlines\",z", new[] { "a", "two\nlines", "z" })]
    [InlineData("a\"b,c", null)]
    [InlineData("\"ab\"c,d", null)]
    public void CSV_records_split_into_unquoted_fields(string record, string[]? fields)
    {
        var (split, error) = CsvRecord.Split(record);

        Assert.Equal(fields, split);
        Assert.Equal(fields is null, error is not null);
    }

    /// <summary>Outcomes of the grains map to row results: the number when applied, candidates, or errors naming fields.</summary>
    [Fact]
    public void Grain_outcomes_map_to_row_statuses_and_results()
    {
        Assert.True(PersonalIdNumber.TryParse("079190123456", out var number, out _));
        var resident = new ResidentRecord(number, "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "079", "079", DateTimeOffset.UnixEpoch);
        var candidate = new DuplicateCandidate(number, "Nguyễn Thị Ánh", new DateOnly(1990, 5, 17), Sex.Female, "079", "079");

        Assert.Equal((BatchRowStatus.Applied, """{"personalIdNumber":"079190123456"}"""), Map(BatchRowOutcomes.From(new Registered(resident, Replayed: true))));
        Assert.Equal((BatchRowStatus.DuplicateCandidate,
            """{"candidates":[{"personalIdNumber":"079190123456","fullName":"Nguyễn Thị Ánh","birthDate":"1990-05-17","sex":"female","birthRegistrationProvince":"079","permanentResidenceProvince":"079"}]}"""),
            Map(BatchRowOutcomes.From(new DuplicateCandidatesFound([candidate]))));
        Assert.Equal((BatchRowStatus.Rejected, """{"errors":[{"field":"issuedNumber","message":"The issued number 079190123456 already belongs to a person in the registry."}]}"""),
            Map(BatchRowOutcomes.From(new RegistrationRefused(new Refusal(RefusalKind.Conflict, "Taken.",
                [new FieldError("issuedNumber", "The issued number 079190123456 already belongs to a person in the registry.")])))));
        Assert.Equal((BatchRowStatus.Rejected, """{"errors":[{"field":"row","message":"Key 'k' belongs to an earlier registration."}]}"""),
            Map(BatchRowOutcomes.From(new RegistrationRefused(new Refusal(RefusalKind.Conflict, "Reused.", [new FieldError("idempotencyKey", "Key 'k' belongs to an earlier registration.")])))));
        Assert.Equal(BatchRowStatus.Rejected, BatchRowOutcomes.From(new RegistrationRefused(new Refusal(RefusalKind.Forbidden, "No.", [new FieldError("actor", "not your province")]))).Status);
        Assert.Equal((BatchRowStatus.Applied, """{"personalIdNumber":"079190123456"}"""), Map(BatchRowOutcomes.From(new Changed(resident, Replayed: false))));
        Assert.Equal((BatchRowStatus.Rejected, """{"errors":[{"field":"personalIdNumber","message":"nobody"}]}"""),
            Map(BatchRowOutcomes.From(new ChangeRefused(new Refusal(RefusalKind.NotFound, "Not found", [new FieldError("personalIdNumber", "nobody")])))));
        Assert.Equal((BatchRowStatus.Rejected, """{"errors":[{"field":"row","message":"same as row 3"}],"sameAsRow":3}"""), Map(BatchRowOutcomes.SameAs(3)));
    }

    private static (BatchRowStatus, string) Map((BatchRowStatus Status, BatchRowResult Result) outcome) => (outcome.Status, outcome.Result.ToJson());
}
