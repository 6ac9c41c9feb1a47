using System.Globalization;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Contracts.Identity;

/// <summary>
/// The first six digits of a personal ID number (Decree 137/2015, Circular 07/2016/TT-BCA): the 3-digit code
/// of the province where the birth was registered, one digit for sex and century, and the last two digits of
/// the birth year. Each prefix has its own allocator and at most 1,000,000 numbers.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.IdNumberPrefix")]
public readonly record struct IdNumberPrefix
{
    [Id(0)] private readonly string? _value;

    private IdNumberPrefix(string value) => _value = value;

    /// <summary>The six digits.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised IdNumberPrefix has no value.");

    /// <summary>The prefix for a birth registered in <paramref name="provinceCode"/>.</summary>
    /// <exception cref="ArgumentException">Unknown province, or a birth year outside 1900–2399.</exception>
    public static IdNumberPrefix For(string provinceCode, Sex sex, DateOnly birthDate)
    {
        if (!ProvinceCatalog.IsKnown(provinceCode))
        {
            throw new ArgumentException($"Unknown province code '{provinceCode}'.", nameof(provinceCode));
        }

        var digit = SexCenturyDigit.Encode(sex, birthDate.Year);
        return new IdNumberPrefix(string.Create(CultureInfo.InvariantCulture, $"{provinceCode}{digit}{birthDate.Year % 100:00}"));
    }

    /// <summary>Parses six digits with a known province code.</summary>
    public static bool TryParse(string? value, out IdNumberPrefix prefix)
    {
        prefix = default;
        if (value is not { Length: 6 } || !value.All(char.IsAsciiDigit) || !ProvinceCatalog.IsKnown(value[..3]))
        {
            return false;
        }

        prefix = new IdNumberPrefix(value);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// The fourth digit of an ID number: century of birth and sex (Decree 137/2015 Art. 7): 1900–1999 male 0,
/// female 1; 2000–2099 male 2, female 3; 2100–2199 4/5; 2200–2299 6/7; 2300–2399 8/9.
/// </summary>
public static class SexCenturyDigit
{
    /// <summary>First birth year the scheme covers.</summary>
    public const int FirstYear = 1900;

    /// <summary>Last birth year the scheme covers.</summary>
    public const int LastYear = 2399;

    /// <summary>The digit for this sex and birth year.</summary>
    public static int Encode(Sex sex, int birthYear)
    {
        if (birthYear is < FirstYear or > LastYear)
        {
            throw new ArgumentOutOfRangeException(nameof(birthYear), birthYear, $"ID numbers encode birth years {FirstYear}–{LastYear}.");
        }

        return ((birthYear / 100) - 19) * 2 + (sex == Sex.Female ? 1 : 0);
    }

    /// <summary>The sex and the first year of the century the digit stands for.</summary>
    public static (Sex Sex, int CenturyStart) Decode(int digit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(digit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(digit, 9);
        return (digit % 2 == 0 ? Sex.Male : Sex.Female, FirstYear + digit / 2 * 100);
    }
}
