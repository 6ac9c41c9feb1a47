using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Batches;
using Registry.Domain.BulkLoad;

namespace Registry.Domain.Tests.BulkLoad;

/// <summary>The national load registers a row exactly when the registry's registration of it would, with the same reasons when not.</summary>
public sealed class InitialLoadTests
{
    private static readonly Actor Operator = new("operator-1", ActorRole.CentralAdministrator, null);
    private static readonly DateOnly Today = new(2026, 12, 1);
    private static readonly PersonalIdNumber Kept = Number("079190123456");
    private static readonly PersonalIdNumber Mother = Number("079160000001");
    private static readonly PersonalIdNumber Allocated = Number("079190654321");

    /// <summary>The cases: the row's variant, what the registry held, the status, and the field named (or the number registered).</summary>
    [Theory]
    [InlineData("allocated", "", "applied", "079190654321")]
    [InlineData("kept", "", "applied", "079190123456")]
    [InlineData("kept", "held", "rejected", "issuedNumber")]
    [InlineData("linked", "", "applied", "079190654321")]
    [InlineData("linked", "unknownMother", "rejected", "mother")]
    [InlineData("allocated", "candidate", "duplicateCandidate", "079190999999")]
    [InlineData("confirmed", "candidate", "applied", "079190654321")]
    [InlineData("allocated", "prefixFull", "rejected", "row")]
    public void A_row_is_decided_as_the_registration_would_decide_it(string row, string registry, string status, string detail)
    {
        var request = Request(row);
        var facts = new RegistryFacts(
            registry == "held" ? new HashSet<PersonalIdNumber> { Kept } : [],
            registry == "unknownMother" ? new HashSet<PersonalIdNumber> { Mother } : [],
            registry == "candidate"
                ? new Dictionary<string, IReadOnlyList<DuplicateCandidate>>
                {
                    [InitialLoad.DuplicateKey(request.FullName, request.BirthDate, "079")] = [new DuplicateCandidate(Number("079190999999"), request.FullName, request.BirthDate, Sex.Male, "079", "079")],
                }
                : new Dictionary<string, IReadOnlyList<DuplicateCandidate>>());

        var decision = Assert.Single(InitialLoad.Decide([new LoadCandidate(1, request)], facts, static code => code,
            _ => registry == "prefixFull" ? null : Allocated));

        switch (decision)
        {
            case LoadAccepted accepted:
                Assert.Equal("applied", status);
                Assert.Equal(detail, accepted.Number.Value);
                break;
            case LoadNotApplied { Status: BatchRowStatus.DuplicateCandidate } duplicate:
                Assert.Equal("duplicateCandidate", status);
                Assert.Equal(detail, Assert.Single(duplicate.Result.Candidates!).PersonalIdNumber.Value);
                break;
            case LoadNotApplied refused:
                Assert.Equal("rejected", status);
                Assert.Equal(detail, Assert.Single(refused.Result.Errors!).Field);
                break;
        }
    }

    /// <summary>Earlier rows of the load count as registered: a later row keeping the same number, or the same person unconfirmed, is refused; a link to an earlier kept number is known.</summary>
    [Fact]
    public void Earlier_rows_of_a_chunk_count_as_registered()
    {
        var first = Request("kept");
        var sameNumber = Request("kept") with { FullName = "Lê Văn Khác", IdempotencyKey = "k2" };
        var samePerson = Request("allocated") with { IdempotencyKey = "k3" };
        var child = Request("allocated") with { FullName = "Trần Thị Con", IdempotencyKey = "k4", Family = new FamilyLinks(null, Kept, null, null) };
        var facts = new RegistryFacts(new HashSet<PersonalIdNumber>(), new HashSet<PersonalIdNumber> { Kept }, new Dictionary<string, IReadOnlyList<DuplicateCandidate>>());

        var decisions = InitialLoad.Decide([new(1, first), new(2, sameNumber), new(3, samePerson), new(4, child)], facts, static code => code, _ => Allocated);

        Assert.IsType<LoadAccepted>(decisions[0]);
        Assert.Equal("issuedNumber", Assert.Single(Assert.IsType<LoadNotApplied>(decisions[1]).Result.Errors!).Field);
        Assert.Equal(Kept, Assert.Single(Assert.IsType<LoadNotApplied>(decisions[2]).Result.Candidates!).PersonalIdNumber);
        Assert.IsType<LoadAccepted>(decisions[3]);
    }

    /// <summary>Rows the batch parser cannot read, amendments and registrations the rules refuse are rejected naming the field.</summary>
    [Theory]
    [InlineData("""{"kind":"registration","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"079"}""", "fullName")]
    [InlineData("""{"kind":"amendment","personalIdNumber":"079190123456","field":"hometown","value":"Huế","reason":"r","documentReference":"d"}""", "kind")]
    [InlineData("""{"kind":"registration","fullName":"Lê Văn A","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"079","issuedNumber":"079191123456"}""", "issuedNumber")]
    [InlineData("""{"kind":"registration","fullName":"Lê Văn A","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"079","issuedNumber":"001190123456"}""", "issuedNumber")]
    [InlineData("not json", "row")]
    public void A_row_the_registry_would_refuse_is_rejected_naming_the_field(string text, string field)
    {
        var parsed = BatchRowParser.ForNdjson("load-x", Operator).Parse(1, text, Today);

        var (candidate, rejected) = InitialLoad.Read(parsed, 1, "load-x", Today);

        Assert.Null(candidate);
        Assert.Contains(rejected!.Result.Errors!, error => error.Field == field);
    }

    /// <summary>A readable registration becomes a candidate under the load's own operation id.</summary>
    [Fact]
    public void A_readable_registration_is_a_candidate_under_the_loads_operation_id()
    {
        var parsed = BatchRowParser.ForNdjson("load-x", Operator).Parse(7,
            """{"kind":"registration","fullName":" Lê Văn A ","birthDate":"1990-05-17","sex":"male","birthRegistrationProvince":"079"}""", Today);

        var (candidate, rejected) = InitialLoad.Read(parsed, 7, "load-x", Today);

        Assert.Null(rejected);
        Assert.Equal("load-x:7", candidate!.Request.IdempotencyKey);
        Assert.Equal("Lê Văn A", candidate.Request.FullName);
    }

    private static RegisterResident Request(string variant) => new("k1", "Lê Văn A", new DateOnly(1990, 5, 17), Sex.Male, "079")
    {
        Actor = Operator,
        IssuedNumber = variant == "kept" ? Kept : null,
        Family = variant == "linked" ? new FamilyLinks(Mother, null, null, null) : FamilyLinks.None,
        ConfirmedNotDuplicate = variant == "confirmed",
    };

    private static PersonalIdNumber Number(string value) =>
        PersonalIdNumber.TryParse(value, out var number, out var error) ? number : throw new ArgumentException(error);
}
