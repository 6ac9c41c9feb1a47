using System.Globalization;

namespace Registry.LoadTests.Scenarios;

/// <summary>One move of the workload: who, from where (as the worker last knew it), to where, and the new address.</summary>
/// <param name="Person">Index of the person in the population (0 to people − 1).</param>
/// <param name="PersonalId">Their personal ID number, <see cref="RelocationWorkload.PersonalIdOf"/>.</param>
/// <param name="From">The province the worker believes they live in.</param>
/// <param name="To">The destination, never <paramref name="From"/>.</param>
/// <param name="Commune">Five-digit code of the destination commune or ward.</param>
/// <param name="Address">Street address in the destination commune.</param>
internal readonly record struct Relocation(int Person, string PersonalId, string From, string To, string Commune, string Address);

/// <summary>
/// The relocations of issue 4's comparison, one definition for every design measured (<c>relocate-sql</c>, the plain
/// SQL transaction; <c>relocate-grains</c>, the grain design), so both move the same people the same way. Pure: no
/// I/O; what it draws follows from the seed, the worker and where the worker's people live when it starts.
/// </summary>
/// <remarks>
/// <para>
/// The population is numbered 0 to people − 1: person n has the number <see cref="PersonalIdOf"/>(n) and, when seeded,
/// lives in <see cref="HomeProvinceOf"/>(n), spread evenly over the 34 provinces. Worker w of W owns the people
/// n ≡ w (mod W) and remembers each one's province, so it can always pick a destination other than the current
/// one without asking the store and without sharing anything with other workers. Each worker picks its people
/// uniformly, and workers run at the same pace, so the moves are spread uniformly over the whole population.
/// </para>
/// <para>
/// Destinations are skewed towards the big cities, as internal migration is: a share <c>hotShare</c> of moves goes
/// to Hà Nội (001), Hồ Chí Minh (079) or Đà Nẵng (048), the rest to the 31 other provinces, uniformly within each
/// group and never to the person's current province. Those three counters are what makes the plain design's
/// transactions queue and deadlock: 60 % of all moves increment one of three rows.
/// </para>
/// </remarks>
internal sealed class RelocationWorkload
{
    public const double DefaultHotShare = 0.6;

    /// <summary>People numbers cover 80 birth years × 1,000,000 serials; this is the largest population they can number.</summary>
    public const int MaxPeople = BirthYears * SerialsPerYear;

    private const int FirstBirthYear = 1940;
    private const int BirthYears = 80;
    private const int SerialsPerYear = 1_000_000;

    private static readonly byte[] HotIndexes;
    private static readonly byte[] OtherIndexes;

    private readonly Random random;
    private readonly int worker;
    private readonly int workers;
    private readonly double hotShare;

    /// <summary>Province (index into <see cref="Provinces"/>) of each person this worker owns, by n / W.</summary>
    private readonly byte[] provinceOf;

    static RelocationWorkload()
    {
        HotIndexes = [.. HotCities.Select(static code => (byte)IndexOf(code))];
        OtherIndexes = [.. Enumerable.Range(0, Provinces.Count).Where(static index => !HotIndexes.Contains((byte)index)).Select(static index => (byte)index)];
    }

    /// <param name="people">Size of the population; every worker must own at least one person.</param>
    /// <param name="workers">Workers sharing the population.</param>
    /// <param name="worker">This worker, 0 to <paramref name="workers"/> − 1.</param>
    /// <param name="seed">The run's seed; with the worker it fixes the sequence of moves.</param>
    /// <param name="hotShare">Share of moves to the three hot cities, 0 to 1.</param>
    /// <param name="provinceAtStart">Where person n lives when the run starts (one of <see cref="Provinces"/>).</param>
    public RelocationWorkload(int people, int workers, int worker, int seed, double hotShare, Func<int, string> provinceAtStart)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(worker);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(worker, workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(people, workers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(people, MaxPeople);
        ArgumentOutOfRangeException.ThrowIfNegative(hotShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hotShare, 1d);
        ArgumentNullException.ThrowIfNull(provinceAtStart);

        (this.worker, this.workers, this.hotShare) = (worker, workers, hotShare);
        // The same stream as ScenarioContext.RandomFor(worker), so a run is reproduced from its seed.
        random = new Random(unchecked((seed * 31) + worker));
        provinceOf = new byte[((people - 1 - worker) / workers) + 1];
        for (var local = 0; local < provinceOf.Length; local++)
        {
            var person = (local * workers) + worker;
            var index = IndexOf(provinceAtStart(person));
            provinceOf[local] = index >= 0
                ? (byte)index
                : throw new ArgumentException($"Person {person} lives in '{provinceAtStart(person)}', which is not one of the 34 provinces of 2025.", nameof(provinceAtStart));
        }
    }

    /// <summary>The 34 provincial-level units from 1 July 2025 (Resolution 202/2025/QH15), as in provinces-2025.csv.</summary>
    public static IReadOnlyList<string> Provinces { get; } =
    [
        "001", "004", "008", "011", "012", "014", "015", "019", "020", "022", "024", "025", "031", "033", "037", "038", "040",
        "042", "044", "046", "048", "051", "052", "056", "066", "068", "075", "079", "080", "082", "086", "091", "092", "096",
    ];

    /// <summary>Hà Nội, Hồ Chí Minh and Đà Nẵng: where a share <c>--hot-share</c> of all moves go.</summary>
    public static IReadOnlyList<string> HotCities { get; } = ["001", "079", "048"];

    /// <summary>People this worker owns and moves.</summary>
    public int OwnedPeople => provinceOf.Length;

    /// <summary>Moves drawn so far.</summary>
    public long Drawn { get; private set; }

    /// <summary>Moves drawn so far whose destination is a hot city.</summary>
    public long DrawnToHotCities { get; private set; }

    /// <summary>
    /// Person n's personal ID number, valid under Decree 137/2015: the home province as the place of birth
    /// registration, a sex/century digit, a birth year from 1940 to 2019, and a serial. Distinct for every n below
    /// <see cref="MaxPeople"/>: the year is n mod 80 and the serial n / 80.
    /// </summary>
    public static string PersonalIdOf(int person)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(person);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(person, MaxPeople);
        var year = FirstBirthYear + (person % BirthYears);
        var female = ((Mix(person) >> 8) & 1) == 1;
        var sexCentury = (((year / 100) - 19) * 2) + (female ? 1 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{HomeProvinceOf(person)}{sexCentury}{year % 100:00}{person / BirthYears:000000}");
    }

    /// <summary>The n whose number is <paramref name="personalId"/>, if it is one of the workload's numbers.</summary>
    public static bool TryPersonOf(string personalId, out int person)
    {
        person = -1;
        if (personalId is not { Length: 12 } || !personalId.All(char.IsAsciiDigit))
        {
            return false;
        }

        var year = 1900 + ((personalId[3] - '0') / 2 * 100) + int.Parse(personalId.AsSpan(4, 2), CultureInfo.InvariantCulture);
        var serial = int.Parse(personalId.AsSpan(6, 6), CultureInfo.InvariantCulture);
        if (year < FirstBirthYear || year >= FirstBirthYear + BirthYears)
        {
            return false;
        }

        var candidate = (serial * BirthYears) + (year - FirstBirthYear);
        if (PersonalIdOf(candidate) != personalId)
        {
            return false;
        }

        person = candidate;
        return true;
    }

    /// <summary>Where person n lives when first seeded: one of the 34 provinces, evenly spread.</summary>
    public static string HomeProvinceOf(int person) => Provinces[(int)(Mix(person) % (ulong)Provinces.Count)];

    /// <summary>Person n's commune or ward when first seeded (five digits).</summary>
    public static string HomeCommuneOf(int person) =>
        ((Mix(person) >> 16) % 100_000).ToString("00000", CultureInfo.InvariantCulture);

    /// <summary>The next move: one of this worker's people, uniformly, to a destination other than where they live.</summary>
    public Relocation Next()
    {
        var local = random.Next(provinceOf.Length);
        var from = provinceOf[local];
        var toHotCity = random.NextDouble() < hotShare;
        var group = toHotCity ? HotIndexes : OtherIndexes;

        // Uniform over the group without the current province: draw among the others and step over it.
        var at = Array.IndexOf(group, from);
        var pick = random.Next(at >= 0 ? group.Length - 1 : group.Length);
        if (at >= 0 && pick >= at)
        {
            pick++;
        }

        var person = (local * workers) + worker;
        var commune = random.Next(100_000).ToString("00000", CultureInfo.InvariantCulture);
        var address = string.Create(CultureInfo.InvariantCulture, $"Số {random.Next(1, 400)}, tổ {random.Next(1, 60)}");
        Drawn++;
        DrawnToHotCities += toHotCity ? 1 : 0;
        return new Relocation(person, PersonalIdOf(person), Provinces[from], Provinces[group[pick]], commune, address);
    }

    /// <summary>The move committed: the person now lives in its destination.</summary>
    public void Moved(Relocation move) => LivesIn(move.Person, move.To);

    /// <summary>
    /// The store says where one of this worker's people lives (after a move whose outcome was unknown, such as a
    /// timeout during COMMIT), so the next destination drawn for them is again never their current province.
    /// </summary>
    public void LivesIn(int person, string province)
    {
        if (person % workers != worker)
        {
            throw new ArgumentException($"Person {person} belongs to worker {person % workers}, not {worker}.", nameof(person));
        }

        var index = IndexOf(province);
        provinceOf[person / workers] = index >= 0
            ? (byte)index
            : throw new ArgumentException($"'{province}' is not one of the 34 provinces of 2025.", nameof(province));
    }

    private static int IndexOf(string code)
    {
        for (var index = 0; index < Provinces.Count; index++)
        {
            if (Provinces[index] == code)
            {
                return index;
            }
        }

        return -1;
    }

    /// <summary>A fixed 64-bit mix of n (SplitMix64's finaliser): home province, sex and commune look random but never change.</summary>
    private static ulong Mix(int person)
    {
        var x = unchecked((ulong)person + 0x9E3779B97F4A7C15UL);
        x = unchecked((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL);
        x = unchecked((x ^ (x >> 27)) * 0x94D049BB133111EBUL);
        return x ^ (x >> 31);
    }
}
