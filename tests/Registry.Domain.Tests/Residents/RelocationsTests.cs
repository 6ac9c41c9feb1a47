using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;
using static Registry.Domain.Tests.Residents.People;

namespace Registry.Domain.Tests.Residents;

/// <summary>Relocation decided without a cluster: the moved record, its history entry and the counts it owes, or why not.</summary>
public sealed class RelocationsTests
{
    private static Relocate Move(ResidenceAddress destination, long? expectedVersion = null) =>
        new("move-1", SaigonOfficer, destination, Today, expectedVersion);

    /// <summary>A move between provinces moves the residence, keeps history and owes a departure and an arrival (invariant 1).</summary>
    [Fact]
    public void A_move_between_provinces_owes_a_departure_and_an_arrival()
    {
        var accepted = Assert.IsType<Acceptance>(Relocations.Decide(Move(Saigon), Anh, 3, null, Today, Now));

        Assert.Equal(("079", "26734", "5 Lê Lợi"), (accepted.Updated.PermanentResidenceProvince, accepted.Updated.PermanentResidenceCommune, accepted.Updated.PermanentAddress));
        var entry = Assert.Single(accepted.Entries);
        Assert.Equal(("001/00001/12 Hàng Bạc", "079/26734/5 Lê Lợi", ResidentChangeKind.Relocation), (entry.OldValue, entry.NewValue, entry.Kind));
        var operation = $"relocation:{Anh.PersonalIdNumber}:move-1";
        Assert.Equal(
            [
                new OwedCount("001", new ResidentCountChange(operation + ":departure", Anh.PersonalIdNumber, -1, ResidentCountReason.Departure, operation)),
                new OwedCount("079", new ResidentCountChange(operation + ":arrival", Anh.PersonalIdNumber, +1, ResidentCountReason.Arrival, operation)),
            ],
            accepted.Counts);
    }

    /// <summary>A move within a province changes the address and owes no count.</summary>
    [Fact]
    public void A_move_within_a_province_owes_no_count()
    {
        var command = Move(new ResidenceAddress("001", "00004", "1 Tràng Tiền")) with { Actor = HanoiOfficer };

        Assert.Empty(Assert.IsType<Acceptance>(Relocations.Decide(command, Anh, 3, null, Today, Now)).Counts);
    }

    /// <summary>Each bad field is refused by name, and nothing is decided.</summary>
    [Theory]
    [InlineData("idempotencyKey")]
    [InlineData("destination.provinceCode")]
    [InlineData("destination.address")]
    [InlineData("movedOn")]
    [InlineData("destination.communeCode")]
    public void A_bad_field_is_refused_by_name(string field)
    {
        var command = Move(Saigon);
        FieldError? destinationError = null;
        switch (field)
        {
            case "idempotencyKey": command = command with { IdempotencyKey = "" }; break;
            case "destination.provinceCode": command = command with { Destination = Saigon with { ProvinceCode = "999" } }; break;
            case "destination.address": command = command with { Destination = Saigon with { Address = " " } }; break;
            case "movedOn": command = command with { MovedOn = Today.AddDays(1) }; break;
            default: destinationError = new FieldError("communeCode", "No commune 26734 in province 079."); break;
        }

        var refusal = Assert.IsType<Refused>(Relocations.Decide(command, Anh, 3, destinationError, Today, Now));

        Assert.Equal(RefusalKind.Invalid, refusal.Refusal.Kind);
        Assert.Equal([field], refusal.Refusal.Errors.Select(error => error.Field));
    }

    /// <summary>
    /// The refusals that depend on who asks and on the record: an officer moves people into their own province only, a
    /// dead person does not move, a stale version loses, and a move to where the person lives is no move.
    /// </summary>
    [Theory]
    [InlineData("officer of the province left", RefusalKind.Forbidden, "actor")]
    [InlineData("dead", RefusalKind.Conflict, "destination")]
    [InlineData("stale version", RefusalKind.Conflict, "expectedVersion")]
    [InlineData("same address", RefusalKind.Invalid, "destination")]
    public void A_move_the_record_or_actor_does_not_allow_is_refused(string situation, RefusalKind kind, string field)
    {
        var (command, record) = situation switch
        {
            "officer of the province left" => (Move(Saigon) with { Actor = HanoiOfficer }, Anh),
            "dead" => (Move(Saigon), DeadAnh),
            "stale version" => (Move(Saigon, expectedVersion: 2), Anh),
            _ => (Move(new ResidenceAddress("001", "00001", "12 Hàng Bạc")) with { Actor = HanoiOfficer }, Anh),
        };

        var refusal = Assert.IsType<Refused>(Relocations.Decide(command, record, 3, null, Today, Now));

        Assert.Equal((kind, field), (refusal.Refusal.Kind, Assert.Single(refusal.Refusal.Errors).Field));
    }

    /// <summary>Undoing a move puts the person back where they were, owing the reverse counts under the undo's own id.</summary>
    [Fact]
    public void An_undo_restores_the_address_and_reverses_the_counts()
    {
        var moved = Assert.IsType<Acceptance>(Relocations.Decide(Move(Saigon), Anh, 3, null, Today, Now));

        var undone = Assert.IsType<Acceptance>(Relocations.DecideUndo(moved.Updated, moved.Entries, "move-1", "move-1:undo", SaigonOfficer, Now));

        Assert.Equal(ResidenceAddress.TextOf(Anh), ResidenceAddress.TextOf(undone.Updated));
        Assert.Equal(["079", "001"], undone.Counts.Select(count => count.ProvinceCode));
        Assert.Equal([-1, +1], undone.Counts.Select(count => count.Change.Delta));
        Assert.All(undone.Counts, count => Assert.StartsWith($"relocation:{Anh.PersonalIdNumber}:move-1:undo:", count.Change.OperationId, StringComparison.Ordinal));
    }

    /// <summary>A move is not undone once the person lives elsewhere, nor one that is not in the history.</summary>
    [Theory]
    [InlineData("move-1")]
    [InlineData("never-made")]
    public void An_undo_of_a_move_the_person_no_longer_lives_by_is_refused(string relocationId)
    {
        var moved = Assert.IsType<Acceptance>(Relocations.Decide(Move(Saigon), Anh, 3, null, Today, Now));
        var movedOnAgain = moved.Updated with { PermanentAddress = "7 Nguyễn Huệ" };

        var refusal = Assert.IsType<Refused>(Relocations.DecideUndo(movedOnAgain, moved.Entries, relocationId, relocationId + ":undo", SaigonOfficer, Now));

        Assert.Equal((RefusalKind.Conflict, "relocationKey"), (refusal.Refusal.Kind, Assert.Single(refusal.Refusal.Errors).Field));
    }

    /// <summary>The same move asked again is recognised as a replay; another move under the same id is not.</summary>
    [Fact]
    public void A_repeated_move_is_a_replay_and_a_different_one_is_not()
    {
        var moved = Assert.IsType<Acceptance>(Relocations.Decide(Move(Saigon), Anh, 3, null, Today, Now));

        Assert.True(Relocations.IsReplayOf(Move(Saigon), moved.Entries));
        Assert.False(Relocations.IsReplayOf(Move(Saigon with { Address = "9 Lê Lợi" }), moved.Entries));
    }
}
