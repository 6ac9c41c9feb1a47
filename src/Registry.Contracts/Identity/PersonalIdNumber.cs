using System.Globalization;
using System.Text.Json.Serialization;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Contracts.Identity;

/// <summary>
/// A 12-digit personal ID number (Decree 137/2015, Circular 07/2016/TT-BCA): a 6-digit
/// <see cref="IdNumberPrefix"/> followed by 6 serial digits. There is no check digit. The number is for life:
/// moving never changes it, and the province code in it is the place of birth registration, not of residence.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.PersonalIdNumber")]
[JsonConverter(typeof(PersonalIdNumberJsonConverter))]
public readonly record struct PersonalIdNumber
{
    /// <summary>Numbers per prefix: the serial runs over 000000–999999.</summary>
    public const int SerialsPerPrefix = 1_000_000;

    [Id(0)] private readonly string? _value;

    private PersonalIdNumber(string value) => _value = value;

    /// <summary>The twelve digits.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised PersonalIdNumber has no value.");

    /// <summary>The prefix: birth registration province, sex/century digit, year digits.</summary>
    public IdNumberPrefix Prefix => IdNumberPrefix.TryParse(Value[..6], out var prefix) ? prefix : default;

    /// <summary>Code of the province where the birth was registered.</summary>
    public string BirthRegistrationProvince => Value[..3];

    /// <summary>The number with serial <paramref name="serial"/> under <paramref name="prefix"/>.</summary>
    public static PersonalIdNumber Create(IdNumberPrefix prefix, int serial)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(serial, SerialsPerPrefix);
        return new PersonalIdNumber(string.Create(CultureInfo.InvariantCulture, $"{prefix.Value}{serial:000000}"));
    }

    /// <summary>
    /// Parses exactly twelve ASCII digits whose first three are one of the 63 province codes of 2024.
    /// </summary>
    /// <param name="value">The candidate text; nothing is trimmed or removed.</param>
    /// <param name="number">The number when valid.</param>
    /// <param name="error">Why it is not a valid number, when it is not.</param>
    public static bool TryParse(string? value, out PersonalIdNumber number, out string? error)
    {
        number = default;
        error = value switch
        {
            null or "" => "A personal ID number is required.",
            { Length: not 12 } => $"A personal ID number has 12 digits; this has {value.Length} characters.",
            _ when !value.All(char.IsAsciiDigit) => "A personal ID number has only the digits 0–9.",
            _ when !ProvinceCatalog.IsKnown(value[..3]) => $"'{value[..3]}' is not a province code.",
            _ => null,
        };
        if (error is not null)
        {
            return false;
        }

        number = new PersonalIdNumber(value!);
        return true;
    }

    /// <summary>The sex the number encodes (Decree 137/2015 Art. 7): a registered number always agrees with the record.</summary>
    public Sex Sex => SexCenturyDigit.Decode(Value[3] - '0').Sex;

    /// <summary>The birth year the number encodes: its century from digit 4, its last two digits from digits 5 and 6.</summary>
    public int BirthYear => SexCenturyDigit.Decode(Value[3] - '0').CenturyStart + int.Parse(Value.AsSpan(4, 2), CultureInfo.InvariantCulture);

    /// <summary>Whether the sex/century and year digits agree with this birth date and sex.</summary>
    public bool IsConsistentWith(DateOnly birthDate, Sex sex) => ContradictionWith(birthDate, sex) is null;

    /// <summary>
    /// Why the number cannot belong to a person of this birth date and sex, or null when its sex/century digit
    /// (Decree 137/2015 Art. 7) and year digits agree with them.
    /// </summary>
    public string? ContradictionWith(DateOnly birthDate, Sex sex)
    {
        var digit = Value[3] - '0';
        var (encodedSex, centuryStart) = SexCenturyDigit.Decode(digit);
        var yearDigits = int.Parse(Value.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var meaning = string.Create(CultureInfo.InvariantCulture,
            $"digit 4 is {digit}: {(encodedSex == Sex.Female ? "female" : "male")}, born {centuryStart}–{centuryStart + 99}");
        if (encodedSex != sex)
        {
            return $"The number's {meaning}, but the declared sex is {(sex == Sex.Female ? "female" : "male")}.";
        }

        if (birthDate.Year < centuryStart || birthDate.Year > centuryStart + 99)
        {
            return string.Create(CultureInfo.InvariantCulture, $"The number's {meaning}, but the declared birth year is {birthDate.Year}.");
        }

        return birthDate.Year % 100 == yearDigits
            ? null
            : string.Create(CultureInfo.InvariantCulture,
                $"The number's year digits are {Value.AsSpan(4, 2)}, but the declared birth year is {birthDate.Year}.");
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
