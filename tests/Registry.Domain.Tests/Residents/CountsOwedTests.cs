using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain.Identity;
using Registry.Domain.Residents;
using static Registry.Domain.Tests.Residents.People;

namespace Registry.Domain.Tests.Residents;

/// <summary>The province counts each change owes, decided with the change (invariant 1: everyone counted in exactly one province).</summary>
public sealed class CountsOwedTests
{
    /// <summary>Law 60/2014: a first registration within a year of birth counts as a birth, later as a registration.</summary>
    [Theory]
    [InlineData(0, ResidentCountReason.Birth)]
    [InlineData(11, ResidentCountReason.Birth)]
    [InlineData(13, ResidentCountReason.Registration)]
    public void A_first_registration_counts_a_birth_only_within_a_year(int monthsOld, ResidentCountReason reason)
    {
        var born = DateOnly.FromDateTime(Now.UtcDateTime).AddMonths(-monthsOld);
        var record = Anh with { BirthDate = born, RegisteredAt = Now };

        var owed = RegistrationRules.CountOwed(record);

        Assert.Equal(new OwedCount("001", new ResidentCountChange($"registration:{record.PersonalIdNumber}", record.PersonalIdNumber, +1, reason)), owed);
    }

    /// <summary>A death takes the person off their province's count, once per number.</summary>
    [Fact]
    public void A_death_owes_one_count_off_the_province()
    {
        var accepted = Assert.IsType<Acceptance>(Amendments.Decide(
            new RecordDeath("death-1", HanoiOfficer, Today, "Hà Nội", "KT-1") { Approval = new Approval("proposal-1", Admin) }, Anh, Today, Now));

        Assert.Equal([new OwedCount("001", new ResidentCountChange($"death:{Anh.PersonalIdNumber}", Anh.PersonalIdNumber, -1, ResidentCountReason.Death))], accepted.Counts);
    }

    /// <summary>A reorganisation moves a living resident of the absorbed province to the survivor, once per plan; others are left.</summary>
    [Fact]
    public void A_reassignment_moves_only_living_residents_of_the_absorbed_province()
    {
        var plan = new ProvinceReassignment("plan-1", "001", "002", Admin);

        var moved = ProvinceReassignments.Decide(plan, Anh, Now);

        Assert.NotNull(moved);
        Assert.Equal("002", moved.Updated.PermanentResidenceProvince);
        Assert.Equal([("001", -1), ("002", +1)], moved.Counts.Select(count => (count.ProvinceCode, count.Change.Delta)));
        Assert.All(moved.Counts, count => Assert.StartsWith($"reorganisation:plan-1:{Anh.PersonalIdNumber}:", count.Change.OperationId, StringComparison.Ordinal));
        Assert.Null(ProvinceReassignments.Decide(plan, moved.Updated, Now));
        Assert.Null(ProvinceReassignments.Decide(plan, DeadAnh, Now));
        Assert.Null(ProvinceReassignments.Decide(plan, null, Now));
    }

    /// <summary>A new number takes over the record and the count; a dead person's hand-over owes nothing.</summary>
    [Fact]
    public void A_renumbering_moves_the_count_to_the_new_number()
    {
        var target = PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1991, 5, 17)), 7);

        var (moved, counts) = Renumbering.HandOver(Anh, target);

        Assert.Equal(target, moved.PersonalIdNumber);
        Assert.Equal([Anh.PersonalIdNumber], moved.PreviousNumbers);
        Assert.Equal([(Anh.PersonalIdNumber, -1), (target, +1)], counts.Select(count => (count.Change.PersonalIdNumber, count.Change.Delta)));
        Assert.Empty(Renumbering.HandOver(DeadAnh, target).Counts);
    }
}
