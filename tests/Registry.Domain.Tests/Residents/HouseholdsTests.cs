using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;
using static Registry.Domain.Tests.Residents.People;

namespace Registry.Domain.Tests.Residents;

/// <summary>A household moves whole or not at all (invariant 4): its checks and outcomes, decided without a cluster.</summary>
public sealed class HouseholdsTests
{
    private static readonly PersonalIdNumber Binh = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Male, new DateOnly(1988, 1, 2)), 1);

    private static RelocateHousehold Household(params PersonalIdNumber[] members) =>
        new("household-1", SaigonOfficer, members, Saigon, Today);

    /// <summary>A request with one to 30 distinct members and a good key passes; each bad one is refused naming its field.</summary>
    [Theory]
    [InlineData(null, 2)]
    [InlineData("idempotencyKey", 2)]
    [InlineData("members", 0)]
    [InlineData("members", 31)]
    [InlineData("members", -1)]
    public void A_household_request_is_checked_by_field(string? field, int memberCount)
    {
        PersonalIdNumber[] members = memberCount switch
        {
            -1 => [Anh.PersonalIdNumber, Anh.PersonalIdNumber],
            _ => [.. Enumerable.Range(0, memberCount).Select(i => PersonalIdNumber.Create(Anh.PersonalIdNumber.Prefix, i))],
        };
        var command = Household(members);
        if (field == "idempotencyKey")
        {
            command = command with { IdempotencyKey = "" };
        }

        var invalid = Households.Check(command);

        Assert.Equal(field, invalid?.Refusal.Errors.Single().Field);
        Assert.True(invalid is null || (invalid.Refusal.Kind == RefusalKind.Invalid && invalid.Members.Length == 0));
    }

    /// <summary>Each member moves under their own id derived from the request's key, to the one destination.</summary>
    [Fact]
    public void Each_member_moves_under_their_own_id()
    {
        var command = Household(Anh.PersonalIdNumber, Binh);

        var move = Households.MoveOf(command, Binh);

        Assert.Equal(new Relocate(Households.MemberKeyOf(command, Binh), SaigonOfficer, Saigon, Today, null), move);
        Assert.StartsWith("household:", move.IdempotencyKey, StringComparison.Ordinal);
        Assert.EndsWith($":{Binh}", move.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(move.IdempotencyKey + ":undo", Households.MemberUndoKeyOf(command, Binh));
    }

    /// <summary>One member who may not move refuses the household before anything is stored; all may move means no refusal.</summary>
    [Fact]
    public void One_refused_check_refuses_the_household()
    {
        var command = Household(Anh.PersonalIdNumber, Binh);
        var dead = new Refusal(RefusalKind.Conflict, "Dead.", [new FieldError("destination", "Died.")]);

        var refused = Households.RefusalOf(command, [null, new ChangeRefused(dead)]);

        Assert.NotNull(refused);
        Assert.Equal([new HouseholdMemberResult(Anh.PersonalIdNumber, null, false), new HouseholdMemberResult(Binh, dead, false)], refused.Members);
        Assert.Null(Households.RefusalOf(command, [null, null]));
    }

    /// <summary>All moves done is a household moved; one refused means the moved members go back and the refusal lists who did.</summary>
    [Fact]
    public void A_move_refused_midway_sends_the_moved_members_back()
    {
        var command = Household(Anh.PersonalIdNumber, Binh);
        var movedAnh = new Changed(Anh, Replayed: false) { Version = 4 };
        var refused = new ChangeRefused(new Refusal(RefusalKind.Conflict, "Moved meanwhile.", [new FieldError("expectedVersion", "Changed.")]));

        Assert.Equal([new ResidentView(Anh, 4)], Households.MovedWhole([movedAnh])!.Members);
        Assert.Null(Households.MovedWhole([movedAnh, refused]));
        Assert.True(Households.MustMoveBack(movedAnh));
        Assert.False(Households.MustMoveBack(refused));
        Assert.Equal(
            [new HouseholdMemberResult(Anh.PersonalIdNumber, null, true), new HouseholdMemberResult(Binh, refused.Refusal, false)],
            Households.Refused(command, [movedAnh, refused], [true, false]).Members);
    }
}
