namespace Registry.Grains;

/// <summary>Names under which grains keep their state.</summary>
/// <remarks>
/// A stored row is keyed by state name and grain key, not by grain type, so every grain type has a state
/// name of its own: two types sharing a name and a key would overwrite each other. Renaming one orphans
/// every stored state of that type.
/// </remarks>
public static class RegistryStorage
{
    /// <summary>The ADO.NET grain storage provider on PostgreSQL.</summary>
    public const string Name = "registry";

    /// <summary>State name of <see cref="Residents.CitizenGrain"/>.</summary>
    public const string CitizenState = "citizen";

    /// <summary>State name of <see cref="Residents.RegistrationGrain"/>.</summary>
    public const string RegistrationState = "registration";

    /// <summary>State name of province grains: communes and wards.</summary>
    public const string ProvinceState = "province";

    /// <summary>State name of the event publisher: its position in the ledger.</summary>
    public const string EventPublisherState = "eventPublisher";

    /// <summary>State name of a province's residence sweep of a day.</summary>
    public const string ResidenceSweepState = "residenceSweep";

    /// <summary>State name of household moves.</summary>
    public const string HouseholdRelocationState = "householdRelocation";

    /// <summary>State name of the grain holding the accepted reorganisation plans.</summary>
    public const string ProvinceUnitsState = "provinceUnits";

    /// <summary>State name of reorganisation runs.</summary>
    public const string ReorganisationState = "reorganisation";

    /// <summary>State name of <see cref="Residents.ProposalGrain"/>.</summary>
    public const string ProposalState = "proposal";

    /// <summary>State name of <see cref="Identity.IdNumberAllocatorGrain"/>.</summary>
    public const string AllocatorState = "idNumberAllocator";

    /// <summary>State name of <see cref="Cards.IdentityCardGrain"/>.</summary>
    public const string IdentityCardState = "identityCard";

    /// <summary>State name of a province's card expiry sweep of a day (<see cref="Cards.CardExpirySweepGrain"/>).</summary>
    public const string CardExpirySweepState = "cardExpirySweep";

    /// <summary>State name of <see cref="Cards.CardNumberAllocatorGrain"/>.</summary>
    public const string CardNumberAllocatorState = "cardNumberAllocator";
}
