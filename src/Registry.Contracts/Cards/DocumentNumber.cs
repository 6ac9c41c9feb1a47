using System.Globalization;
using System.Text.Json.Serialization;

namespace Registry.Contracts.Cards;

/// <summary>
/// An identity card's document number: a number of its own, since a person holds many cards over a life (a new one at
/// 14, 25, 40 and 60, after a loss, a correction or a reorganisation), and it is the document number field of the card's
/// machine-readable zone (ICAO 9303 TD1: 9 characters from A–Z and 0–9). Nine characters: a series letter, the last two
/// digits of the issuing province's code (every code of 2024 is below 100, so two digits name it), and six serial digits
/// from a keyed permutation walked by the province's allocator (<see cref="ICardNumberAllocatorGrain"/>). Distinct
/// (series, province, position) give distinct numbers, so numbers are unique by construction and never reused.
/// </summary>
[GenerateSerializer, Immutable, Alias("registry.DocumentNumber")]
[JsonConverter(typeof(DocumentNumberJsonConverter))]
public readonly record struct DocumentNumber
{
    /// <summary>Serials per series and province: 000000–999999.</summary>
    public const int SerialsPerSeries = 1_000_000;

    /// <summary>
    /// The series letters, in the order a province uses them. I and O are left out: on a card they read as 1 and 0. 24
    /// series of a million are 24 million cards per province code; the busiest province (Hồ Chí Minh City, about 9.5
    /// million people, a card every ten years or so plus losses) issues about a million a year, so it lasts two decades,
    /// and the 29 codes the 2025 merger freed are a reserve of their own.
    /// </summary>
    public const string SeriesLetters = "ABCDEFGHJKLMNPQRSTUVWXYZ";

    [Id(0)] private readonly string? _value;

    private DocumentNumber(string value) => _value = value;

    /// <summary>The nine characters.</summary>
    public string Value => _value ?? throw new InvalidOperationException("An uninitialised DocumentNumber has no value.");

    /// <summary>The number of <paramref name="serial"/> in <paramref name="series"/> (an index of <see cref="SeriesLetters"/>) of <paramref name="provinceCode"/>.</summary>
    public static DocumentNumber Create(int series, string provinceCode, int serial)
    {
        ArgumentNullException.ThrowIfNull(provinceCode);
        ArgumentOutOfRangeException.ThrowIfNegative(series);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(series, SeriesLetters.Length);
        ArgumentOutOfRangeException.ThrowIfNegative(serial);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(serial, SerialsPerSeries);
        if (provinceCode is not { Length: 3 } || provinceCode[0] != '0' || !provinceCode.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"'{provinceCode}' is not a province code below 100.", nameof(provinceCode));
        }

        return new DocumentNumber(string.Create(CultureInfo.InvariantCulture, $"{SeriesLetters[series]}{provinceCode[1..]}{serial:000000}"));
    }

    /// <summary>
    /// Whether this is the number of a chip card issued before 1 July 2024: nine digits, as such a card carries in its
    /// machine-readable zone. The registry never hands out such a number (its own begin with a series letter), so an
    /// imported card can never take a number the allocators will give.
    /// </summary>
    public bool IsFromBefore2024 => char.IsAsciiDigit(Value[0]);

    /// <summary>
    /// Parses a series letter followed by eight digits, or nine digits (a chip card issued before 1 July 2024, imported);
    /// nothing is trimmed or changed in case.
    /// </summary>
    public static bool TryParse(string? value, out DocumentNumber number, out string? error)
    {
        number = default;
        error = value switch
        {
            null or "" => "A document number is required.",
            { Length: not 9 } => $"A document number has 9 characters (a series letter and 8 digits); this has {value.Length}.",
            _ when value.All(char.IsAsciiDigit) => null,
            _ when !SeriesLetters.Contains(value[0], StringComparison.Ordinal) =>
                $"A document number begins with a series letter ({SeriesLetters}), or is nine digits (a chip card issued before 1 July 2024).",
            _ when !value.Skip(1).All(char.IsAsciiDigit) => "A document number has 8 digits after its series letter.",
            _ => null,
        };
        if (error is not null)
        {
            return false;
        }

        number = new DocumentNumber(value!);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
