using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Database.Residents;
using IdNumber = Registry.Contracts.Identity.PersonalIdNumber;

namespace Registry.LoadTests.Scenarios;

/// <summary>A made-up person as the read model holds them.</summary>
internal sealed record SyntheticPerson(
    IdNumber Number,
    string FullName,
    DateOnly BirthDate,
    Sex Sex,
    string BirthProvince,
    string ResidenceProvince,
    NationalityStatus Nationality,
    DateOnly? DeathDate,
    IdNumber? SupersededBy,
    DateTimeOffset ChangedAt)
{
    /// <summary>The snapshot a citizen grain would send for this person at <paramref name="version"/>.</summary>
    public ResidentSnapshot ToSnapshot(long version)
    {
        var record = new ResidentRecord(Number, FullName, BirthDate, Sex, BirthProvince, ResidenceProvince, ChangedAt)
        {
            Nationality = Nationality,
            Death = DeathDate is { } died ? new DeathRecord(died, "synthetic", "synthetic") : null,
        };
        return new ResidentSnapshot(record, version, SupersededBy, ChangedAt);
    }
}

/// <summary>
/// Makes people for the read-model load tests, reproducibly from one random source: names as the registration
/// scenarios make them (weighted family names, middle names by sex, given names), birth dates 1930–2025, all 63
/// provinces of 2024, one in five living outside the province where their birth was registered, deaths more
/// likely with age, and one in a thousand numbers replaced after a corrected birth year. Numbers are valid
/// (province, sex/century digit, year digits, 6 digits; Decree 137/2015) and unique within a stream.
/// </summary>
internal sealed class SyntheticPeople
{
    /// <summary>Earliest birth date made.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1930, 1, 1);

    /// <summary>Latest birth date made.</summary>
    public static readonly DateOnly LatestBirthDate = new(2025, 12, 31);

    private const int Serials = IdNumber.SerialsPerPrefix;

    // Coprime with 1,000,000, so counter × step + offset walks every serial of a prefix once before repeating.
    private const long SerialStep = 7_919;

    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly DateTimeOffset ChangesFrom = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Random random;
    private readonly ResidentGenerator names;
    private readonly int stream;
    private readonly Dictionary<string, int> issuedPerPrefix = new(StringComparer.Ordinal);
    private SyntheticPerson? pending;

    /// <param name="random">Owned by this generator.</param>
    /// <param name="stream">
    /// Offsets the serials, so that generators of different streams (the seed data, each load worker) rarely hand
    /// out the same number; within one stream numbers never repeat.
    /// </param>
    public SyntheticPeople(Random random, int stream)
    {
        this.random = random;
        this.stream = stream;
        names = new ResidentGenerator(random, LatestBirthDate);
    }

    /// <summary>
    /// The next person. After a person whose number was replaced comes the same person under the new number.
    /// </summary>
    public SyntheticPerson Next()
    {
        if (pending is { } corrected)
        {
            pending = null;
            return corrected;
        }

        var female = random.Next(2) == 1;
        var sex = female ? Sex.Female : Sex.Male;
        var birthDate = EarliestBirthDate.AddDays(random.Next(LatestBirthDate.DayNumber - EarliestBirthDate.DayNumber + 1));
        var provinces = ResidentGenerator.ProvinceCodes2024;
        var birthProvince = provinces[random.Next(provinces.Count)];
        var residence = random.Next(5) == 0 ? provinces[random.Next(provinces.Count)] : birthProvince;
        var person = new SyntheticPerson(
            NewNumber(birthProvince, sex, birthDate),
            names.NextFullName(female),
            birthDate,
            sex,
            birthProvince,
            residence,
            random.Next(1_000) == 0 ? NationalityStatus.UndeterminedVietnameseOrigin : NationalityStatus.Vietnamese,
            NextDeath(birthDate),
            null,
            ChangesFrom.AddMinutes(random.Next(700 * 24 * 60)));

        if (random.Next(1_000) == 0)
        {
            // A corrected birth year contradicts the number's year digits, so the person gets a new one.
            var correctedBirth = birthDate.AddYears(birthDate.Year < LatestBirthDate.Year ? 1 : -1);
            pending = person with { Number = NewNumber(birthProvince, sex, correctedBirth), BirthDate = correctedBirth };
            person = person with { SupersededBy = pending.Number };
        }

        return person;
    }

    /// <summary>A new number under the prefix of these details; never one this generator gave before.</summary>
    public IdNumber NewNumber(string province, Sex sex, DateOnly birthDate)
    {
        var prefix = IdNumberPrefix.For(province, sex, birthDate);
        var issued = issuedPerPrefix.GetValueOrDefault(prefix.Value);
        issuedPerPrefix[prefix.Value] = issued + 1;
        // Where the walk starts depends on prefix and stream, and is the same in every run (string.GetHashCode is not).
        var offset = ((int.Parse(prefix.Value, System.Globalization.CultureInfo.InvariantCulture) * 48_271L) + ((long)stream * 69_621L)) % Serials;
        return IdNumber.Create(prefix, (int)((((issued * SerialStep) + offset) % Serials + Serials) % Serials));
    }

    /// <summary>Dead with a probability rising with age, on a date between birth and today.</summary>
    private DateOnly? NextDeath(DateOnly birthDate)
    {
        var age = Today.Year - birthDate.Year;
        var perThousand = age switch
        {
            >= 85 => 600,
            >= 70 => 250,
            >= 50 => 50,
            _ => 5,
        };
        if (random.Next(1_000) >= perThousand)
        {
            return null;
        }

        var from = Math.Max(birthDate.DayNumber, Today.DayNumber - (30 * 365));
        return DateOnly.FromDayNumber(from + random.Next(Today.DayNumber - from));
    }
}
