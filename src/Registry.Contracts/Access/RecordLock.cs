namespace Registry.Contracts.Access;

/// <summary>
/// A person's lock of their record against ministry partners' verification and eKYC (Decree 69/2024: an identity
/// can be locked on request), held with the person by the citizen grain. Officers and administrators are not affected.
/// </summary>
/// <param name="State">Locked, unlocked, or open for a time.</param>
/// <param name="OpenUntil">With <see cref="RecordLockState.Open"/>, when the window ends and the record is locked again; null otherwise.</param>
/// <param name="SetAt">When the person last set it; null while they never did.</param>
[GenerateSerializer, Immutable, Alias("registry.RecordLock")]
public sealed record RecordLock(
    [property: Id(0)] RecordLockState State,
    [property: Id(1)] DateTimeOffset? OpenUntil,
    [property: Id(2)] DateTimeOffset? SetAt)
{
    /// <summary>A record its person never locked: partners verify it under their policies.</summary>
    public static RecordLock Never { get; } = new(RecordLockState.Unlocked, null, null);
}

/// <summary>States of a <see cref="RecordLock"/>; the numbers are stored, never renumbered.</summary>
[GenerateSerializer, Alias("registry.RecordLockState")]
public enum RecordLockState
{
    /// <summary>Partners verify the record and read its fields under their policies.</summary>
    Unlocked = 0,

    /// <summary>Partners get "locked" and nothing else.</summary>
    Locked = 1,

    /// <summary>Unlocked until <see cref="RecordLock.OpenUntil"/>, then locked: the person opens it for one errand.</summary>
    Open = 2,
}

/// <summary>A person as a ministry partner may see them, decided by the citizen grain.</summary>
/// <param name="Resident">The record; null when nobody holds the number or the record is locked.</param>
/// <param name="Locked">Whether the person's lock shuts partners out now.</param>
[GenerateSerializer, Immutable, Alias("registry.PartnerView")]
public sealed record PartnerView([property: Id(0)] Residents.ResidentRecord? Resident, [property: Id(1)] bool Locked)
{
    /// <summary>Nobody holds the number.</summary>
    public static PartnerView Nobody { get; } = new(null, false);

    /// <summary>The person locked their record.</summary>
    public static PartnerView LockedOut { get; } = new(null, true);
}
