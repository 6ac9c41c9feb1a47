using Registry.Contracts.Access;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests.Residents;

/// <summary>The ids of a household's member moves, derived from the request's key, fit the idempotency-key limit for every key the door accepts.</summary>
public sealed class HouseholdRelocationIdsTests
{
    private static readonly PersonalIdNumber Member = PersonalIdNumber.TryParse("079190123456", out var number, out _)
        ? number
        : throw new InvalidOperationException("The test's member number must be valid.");

    /// <summary>Every key length the door accepts, and the widest characters, give a move id and an undo id that are accepted keys themselves.</summary>
    [Theory]
    [InlineData(1, 'a')]
    [InlineData(77, 'k')]
    [InlineData(78, 'k')]
    [InlineData(RegistrationRules.MaxIdempotencyKeyLength, '~')]
    [InlineData(RegistrationRules.MaxIdempotencyKeyLength, '!')]
    public void A_derived_id_fits_the_key_limit_for_any_accepted_key(int length, char filler)
    {
        var key = new string(filler, length);
        Assert.Null(RegistrationRules.CheckIdempotencyKey(key));

        var household = Household(key);

        foreach (var id in new[] { Households.MemberKeyOf(household, Member), Households.MemberUndoKeyOf(household, Member) })
        {
            Assert.InRange(id.Length, 1, Households.MaxMemberKeyLength);
            Assert.Null(RegistrationRules.CheckIdempotencyKey(id));
        }
    }

    /// <summary>The bound itself is within the limit every relocation id is checked against.</summary>
    [Fact]
    public void The_bound_is_within_the_idempotency_key_limit() =>
        Assert.True(Households.MaxMemberKeyLength <= RegistrationRules.MaxIdempotencyKeyLength);

    /// <summary>The same key derives the same id (a repeat replays the member's move); keys differing only in their last character derive different ids.</summary>
    [Fact]
    public void Ids_are_the_same_for_one_key_and_differ_between_keys_sharing_a_prefix()
    {
        var prefix = new string('p', RegistrationRules.MaxIdempotencyKeyLength - 1);

        Assert.Equal(Households.MemberKeyOf(Household(prefix + "1"), Member), Households.MemberKeyOf(Household(prefix + "1"), Member));
        Assert.NotEqual(Households.MemberKeyOf(Household(prefix + "1"), Member), Households.MemberKeyOf(Household(prefix + "2"), Member));
        Assert.NotEqual(Households.MemberKeyOf(Household(prefix + "1"), Member), Households.MemberUndoKeyOf(Household(prefix + "1"), Member));
    }

    private static RelocateHousehold Household(string key) =>
        new(key, new Actor("officer-1", ActorRole.CentralAdministrator, null), [Member], new ResidenceAddress("048", "20194", "20 Bạch Đằng"), new DateOnly(2026, 4, 1));
}
