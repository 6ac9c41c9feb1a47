using Registry.Contracts.Identity;
using Registry.Contracts.Residents;

namespace Registry.Database.Residents;

/// <summary>
/// A state-carrying event of a citizen grain: the person's whole record after a change, rather than the change
/// itself, so that projecting the latest snapshot is enough and a lost or repeated one does no harm. Its id is
/// (<see cref="ResidentRecord.PersonalIdNumber"/>, <see cref="Version"/>).
/// </summary>
/// <param name="Resident">The record as the grain stored it.</param>
/// <param name="Version">The grain's state version after the change; higher means newer.</param>
/// <param name="SupersededBy">The number that replaced this one after a corrected birth date or sex; null when none.</param>
/// <param name="ChangedAt">When the grain stored the change.</param>
public sealed record ResidentSnapshot(ResidentRecord Resident, long Version, PersonalIdNumber? SupersededBy, DateTimeOffset ChangedAt)
{
    /// <summary>History entries of the person not yet in <c>registry.resident_history</c>, written with the row.</summary>
    public IReadOnlyList<ResidentHistoryEntry> History { get; init; } = [];
}
