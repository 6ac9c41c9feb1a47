using System.Collections.Frozen;
using System.Globalization;

namespace Registry.Contracts.Provinces;

/// <summary>A provincial-level unit as it stood before the 1 July 2025 reorganisation.</summary>
/// <param name="Code">Three-digit code (Circular 07/2016/TT-BCA); also the first three digits of ID numbers.</param>
/// <param name="Name">Vietnamese name, NFC.</param>
/// <param name="MergedInto2025">Code of the unit it became part of under Resolution 202/2025/QH15.</param>
public sealed record Province2024(string Code, string Name, string MergedInto2025);

/// <summary>
/// The 63 provincial codes in use until 30 June 2025, shipped with the contracts as reference data.
/// They stay valid inside personal ID numbers for ever: the number records where the birth was
/// registered, and a number is never changed because its province was merged (Decree 137/2015).
/// </summary>
public static class ProvinceCatalog
{
    private static readonly FrozenDictionary<string, Province2024> Units2024 = Load2024();

    /// <summary>All 63 units of 2024, by code.</summary>
    public static IReadOnlyCollection<Province2024> All2024 => Units2024.Values;

    /// <summary>Whether <paramref name="code"/> is one of the 63 codes of 2024.</summary>
    public static bool IsKnown(string? code) => code is not null && Units2024.ContainsKey(code);

    /// <summary>The unit of 2024 with this code, or null.</summary>
    public static Province2024? Find(string? code) =>
        code is not null && Units2024.TryGetValue(code, out var unit) ? unit : null;

    private static FrozenDictionary<string, Province2024> Load2024()
    {
        const string resource = "Registry.Contracts.Provinces.provinces-2024.csv";
        using var stream = typeof(ProvinceCatalog).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Reference data {resource} is not embedded in the contracts assembly.");
        using var reader = new StreamReader(stream);

        var header = reader.ReadLine();
        if (header != "code,name,merged_into_2025")
        {
            throw new InvalidDataException($"Unexpected header in {resource}: {header}");
        }

        var units = new Dictionary<string, Province2024>(StringComparer.Ordinal);
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var fields = line.Split(',');
            if (fields.Length != 3 || !IsThreeDigits(fields[0]) || !IsThreeDigits(fields[2]))
            {
                throw new InvalidDataException($"Malformed line in {resource}: {line}");
            }

            units.Add(fields[0], new Province2024(fields[0], fields[1].Normalize(), fields[2]));
        }

        return units.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static bool IsThreeDigits(string value) =>
        value.Length == 3 && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);
}
