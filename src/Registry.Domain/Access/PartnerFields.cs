using Registry.Contracts.Events;
using Registry.Contracts.Residents;
using Registry.Domain.Residents;

namespace Registry.Domain.Access;

/// <summary>
/// The fields a partner's policy may name, by their API names: what eKYC returns and events carry. Family links,
/// history, the identity certificate and previous numbers are never given to partners, whatever a policy says.
/// </summary>
public static class PartnerFields
{
    /// <summary>Whether the person is alive: a partner paying a pension needs this and nothing about the death.</summary>
    public const string Alive = "alive";

    /// <summary>The province counting the person as a resident; on an event, the provinces it left and entered.</summary>
    public const string PermanentResidenceProvince = "permanentResidenceProvince";

    /// <summary>The commune or ward of the permanent residence.</summary>
    public const string PermanentResidenceCommune = "permanentResidenceCommune";

    /// <summary>The province where the birth was registered.</summary>
    public const string BirthRegistrationProvince = "birthRegistrationProvince";

    /// <summary>Every field a policy may name, in the order eKYC returns them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ResidentFields.PersonalIdNumber, ResidentFields.FullName, ResidentFields.OtherNames, ResidentFields.BirthDate, ResidentFields.Sex,
        BirthRegistrationProvince, ResidentFields.Hometown, ResidentFields.Ethnicity, ResidentFields.Religion, ResidentFields.Nationality,
        PermanentResidenceProvince, PermanentResidenceCommune, ResidentFields.PermanentAddress, Alive,
    ];

    /// <summary>
    /// The value of <paramref name="field"/> in <paramref name="record"/> as the API writes it (strings, a list of
    /// other names, a boolean for <see cref="Alive"/>); null when the record has none.
    /// </summary>
    public static object? Read(ResidentRecord record, string field)
    {
        ArgumentNullException.ThrowIfNull(record);
        return field switch
        {
            ResidentFields.OtherNames => record.OtherNames,
            BirthRegistrationProvince => record.BirthRegistrationProvince,
            PermanentResidenceProvince => record.PermanentResidenceProvince,
            PermanentResidenceCommune => record.PermanentResidenceCommune,
            Alive => record.IsAlive,
            ResidentFields.PersonalIdNumber or ResidentFields.FullName or ResidentFields.BirthDate or ResidentFields.Sex or ResidentFields.Hometown
                or ResidentFields.Ethnicity or ResidentFields.Religion or ResidentFields.Nationality or ResidentFields.PermanentAddress
                => ResidentFields.Read(record, field),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a field a partner may receive."),
        };
    }

    /// <summary>
    /// What eKYC returns: exactly the <paramref name="asked"/> fields, each once, in the order of <see cref="All"/>.
    /// The caller has checked that the policy gives every one of them.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Disclose(ResidentRecord record, IEnumerable<string> asked)
    {
        ArgumentNullException.ThrowIfNull(asked);
        var wanted = asked.ToHashSet(StringComparer.Ordinal);
        return All.Where(wanted.Contains).ToDictionary(field => field, field => Read(record, field), StringComparer.Ordinal);
    }

    /// <summary>
    /// An event as a partner receives it: its kind, time and position always (they say nothing about a person); the
    /// number, and the event's id (which holds the number), only with <c>personalIdNumber</c> in the policy; the provinces
    /// only with <see cref="PermanentResidenceProvince"/>. A partner without the number deduplicates by position.
    /// </summary>
    public static IReadOnlyDictionary<string, object?> Disclose(RegistryEvent registryEvent, PartnerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(registryEvent);
        ArgumentNullException.ThrowIfNull(policy);
        var disclosed = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["kind"] = PartnerPolicies.NameOf(registryEvent.Kind),
            ["recordedAt"] = registryEvent.RecordedAt,
            ["position"] = registryEvent.Position,
        };
        if (policy.Fields.Contains(ResidentFields.PersonalIdNumber, StringComparer.Ordinal))
        {
            disclosed["eventId"] = registryEvent.EventId;
            disclosed["personalIdNumber"] = registryEvent.PersonalIdNumber;
        }

        if (policy.Fields.Contains(PermanentResidenceProvince, StringComparer.Ordinal))
        {
            disclosed["provinceCode"] = registryEvent.ProvinceCode;
            disclosed["toProvinceCode"] = registryEvent.ToProvinceCode;
        }

        return disclosed;
    }

    /// <summary>The policy fields an event disclosed under <paramref name="policy"/> touches, for the audit.</summary>
    public static IReadOnlyList<string> OfEvents(PartnerPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. new[] { ResidentFields.PersonalIdNumber, PermanentResidenceProvince }.Where(field => policy.Fields.Contains(field, StringComparer.Ordinal))];
    }
}
