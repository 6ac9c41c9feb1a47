using Registry.Contracts;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;
using static Registry.Domain.Tests.Residents.People;

namespace Registry.Domain.Tests.Residents;

/// <summary>Temporary residence, absence and the sweep's flag (Law on Residence 68/2020 Art. 24, 27–31), decided without a cluster.</summary>
public sealed class TemporaryResidencesTests
{
    private static RegisterTemporaryResidence Stay(DateOnly? until = null) =>
        new("stay-1", SaigonOfficer, Saigon, Today, until ?? Today.AddYears(1));

    /// <summary>A registration sets the temporary residence, clears a deletion flag, keeps history and owes no count.</summary>
    [Fact]
    public void A_temporary_residence_is_registered_with_its_history()
    {
        var flagged = Anh with { PermanentResidenceDeletionFlaggedOn = Today.AddDays(-3) };

        var accepted = Assert.IsType<Acceptance>(TemporaryResidences.Decide(Stay(), flagged, null, Today, Now));

        Assert.Equal(new TemporaryResidence(Saigon, Today, Today.AddYears(1)), accepted.Updated.TemporaryResidence);
        Assert.Null(accepted.Updated.PermanentResidenceDeletionFlaggedOn);
        Assert.Equal("Registration of a temporary residence", Assert.Single(accepted.Entries).Reason);
        Assert.Empty(accepted.Counts);
    }

    /// <summary>The same address again is an extension; the longest term is two years from today (Art. 27).</summary>
    [Fact]
    public void The_same_address_again_is_an_extension_up_to_two_years()
    {
        var staying = Anh with { TemporaryResidence = new TemporaryResidence(Saigon, Today.AddYears(-1), Today) };

        var accepted = Assert.IsType<Acceptance>(TemporaryResidences.Decide(Stay(Today.AddYears(2)), staying, null, Today, Now));

        Assert.Equal("Extension of the temporary residence", Assert.Single(accepted.Entries).Reason);
    }

    /// <summary>Each bad field of a registration is refused by name.</summary>
    [Theory]
    [InlineData("idempotencyKey")]
    [InlineData("address.provinceCode")]
    [InlineData("address.communeCode")]
    [InlineData("address.address")]
    [InlineData("from")]
    [InlineData("until")]
    public void A_bad_registration_field_is_refused_by_name(string field)
    {
        var command = Stay();
        FieldError? destinationError = null;
        switch (field)
        {
            case "idempotencyKey": command = command with { IdempotencyKey = "with space" }; break;
            case "address.provinceCode": command = command with { Address = Saigon with { ProvinceCode = "000" } }; break;
            case "address.communeCode": destinationError = new FieldError("communeCode", "No such commune."); break;
            case "address.address": command = command with { Address = Saigon with { Address = "" } }; break;
            case "from": command = command with { From = Today.AddDays(1) }; break;
            default: command = command with { Until = Today.AddYears(2).AddDays(1) }; break;
        }

        var refusal = Assert.IsType<Refused>(TemporaryResidences.Decide(command, Anh, destinationError, Today, Now));

        Assert.Equal((RefusalKind.Invalid, field), (refusal.Refusal.Kind, Assert.Single(refusal.Refusal.Errors).Field));
    }

    /// <summary>Who asks and what the record says: another province's officer, a dead person, the permanent address itself.</summary>
    [Theory]
    [InlineData("officer elsewhere", RefusalKind.Forbidden, "actor")]
    [InlineData("dead", RefusalKind.Conflict, "record")]
    [InlineData("permanent address", RefusalKind.Invalid, "address")]
    public void A_registration_the_actor_or_record_does_not_allow_is_refused(string situation, RefusalKind kind, string field)
    {
        var (command, record) = situation switch
        {
            "officer elsewhere" => (Stay() with { Actor = HanoiOfficer }, Anh),
            "dead" => (Stay(), DeadAnh),
            _ => (Stay() with { Actor = HanoiOfficer, Address = new ResidenceAddress("001", "00001", "12 Hàng Bạc") }, Anh),
        };

        var refusal = Assert.IsType<Refused>(TemporaryResidences.Decide(command, record, null, Today, Now));

        Assert.Equal((kind, field), (refusal.Refusal.Kind, Assert.Single(refusal.Refusal.Errors).Field));
    }

    /// <summary>An absence is declared by the officer of the person's own province; its bad fields and other officers are refused.</summary>
    [Theory]
    [InlineData(null, null)]
    [InlineData("idempotencyKey", RefusalKind.Invalid)]
    [InlineData("from", RefusalKind.Invalid)]
    [InlineData("until", RefusalKind.Invalid)]
    [InlineData("actor", RefusalKind.Forbidden)]
    public void An_absence_is_declared_or_refused_by_field(string? field, RefusalKind? kind)
    {
        var command = new DeclareTemporaryAbsence("away-1", HanoiOfficer, Today.AddDays(-10), Today.AddMonths(6), "Đà Nẵng");
        command = field switch
        {
            "idempotencyKey" => command with { IdempotencyKey = "" },
            "from" => command with { From = Today.AddDays(1) },
            "until" => command with { Until = Today.AddDays(-11) },
            "actor" => command with { Actor = SaigonOfficer },
            _ => command,
        };

        var decision = TemporaryResidences.Decide(command, Anh, Today, Now);

        if (field is null)
        {
            Assert.Equal(new TemporaryAbsence(Today.AddDays(-10), Today.AddMonths(6), "Đà Nẵng"), Assert.IsType<Acceptance>(decision).Updated.TemporaryAbsence);
        }
        else
        {
            var refusal = Assert.IsType<Refused>(decision);
            Assert.Equal((kind, field), (refusal.Refusal.Kind, Assert.Single(refusal.Refusal.Errors).Field));
        }
    }

    /// <summary>
    /// The sweep flags a person whose last registration away ended more than 12 months before (Art. 24), in the
    /// registry's own name; not one still within the 12 months, already flagged, or dead.
    /// </summary>
    [Theory]
    [InlineData(13, false, false, true)]
    [InlineData(11, false, false, false)]
    [InlineData(13, true, false, false)]
    [InlineData(13, false, true, false)]
    public void The_sweep_flags_only_a_person_away_too_long(int monthsSinceStayEnded, bool flaggedAlready, bool dead, bool flagged)
    {
        var stayEnded = Today.AddMonths(-monthsSinceStayEnded);
        var record = (dead ? DeadAnh : Anh) with
        {
            TemporaryResidence = new TemporaryResidence(Saigon, stayEnded.AddYears(-1), stayEnded),
            PermanentResidenceDeletionFlaggedOn = flaggedAlready ? Today.AddDays(-1) : null,
        };

        var decision = TemporaryResidences.DecideFlag(record, "sweep-001-2026-11-28", Today, Now);

        Assert.Equal(flagged, decision is not null);
        if (decision is not null)
        {
            Assert.Equal(Today, decision.Updated.PermanentResidenceDeletionFlaggedOn);
            var entry = Assert.Single(decision.Entries);
            Assert.Equal((ResidentChangeKind.ResidenceFlag, TemporaryResidences.SweepActor, "sweep-001-2026-11-28"), (entry.Kind, entry.Actor, entry.OperationId));
            Assert.Empty(decision.Counts);
        }
    }
}
