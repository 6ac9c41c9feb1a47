using System.Text;

namespace Registry.LoadTests.Scenarios;

/// <summary>A person as <c>POST /residents</c> takes it.</summary>
/// <param name="FullName">Family name, middle name(s), given name, with Vietnamese diacritics (NFC).</param>
/// <param name="BirthDate">Serialised as <c>yyyy-MM-dd</c>.</param>
/// <param name="Sex"><c>male</c> or <c>female</c>.</param>
/// <param name="BirthRegistrationProvince">3-digit code of one of the 63 provinces of 2024.</param>
internal sealed record NewResident(string FullName, DateOnly BirthDate, string Sex, string BirthRegistrationProvince);

/// <summary>
/// Makes plausible Vietnamese residents: names built the usual way (family name, a middle name that
/// mostly follows sex, a given name), ages spread like a population rather than uniformly since 1900,
/// and a birth registration province among the 63 of 2024. Not a demographic model: the point is input
/// that looks like production input to the API (diacritics, name lengths, the whole date range).
/// </summary>
internal sealed class ResidentGenerator
{
    /// <summary>
    /// Codes of the 63 provinces in use until 30 June 2025 (shared/data/provinces-2024.csv). Old codes stay
    /// valid inside ID numbers after the 2025 merger, and a fresh registry starts with these 63 units.
    /// </summary>
    public static readonly IReadOnlyList<string> ProvinceCodes2024 =
    [
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022", "024", "025",
        "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042", "044", "045", "046", "048",
        "049", "051", "052", "054", "056", "058", "060", "062", "064", "066", "067", "068", "070", "072", "074", "075",
        "077", "079", "080", "082", "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
    ];

    /// <summary>The oldest birth date the API accepts.</summary>
    public static readonly DateOnly EarliestBirthDate = new(1900, 1, 1);

    // Family names with rough shares of the population (Nguyễn alone is often put near 38 %); only the
    // skew matters here: hot names make the name search and dedup read models work the way production will.
    private static readonly (string Name, int Weight)[] FamilyNames =
    [
        ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 21), ("Phan", 45),
        ("Vũ", 20), ("Võ", 19), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13), ("Ngô", 13), ("Dương", 10),
        ("Lý", 5), ("Đinh", 6), ("Trương", 6), ("Lâm", 4), ("Mai", 4), ("Cao", 3), ("Tạ", 2), ("Hà", 3),
    ];

    private static readonly string[] MaleMiddleNames =
        ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Đình", "Quốc", "Gia", "Bảo"];

    private static readonly string[] FemaleMiddleNames =
        ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Phương", "Hồng", "Bảo", "Khánh", "Diệu", "Mỹ", "Minh"];

    private static readonly string[] MaleGivenNames =
    [
        "An", "Bảo", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khánh", "Khoa",
        "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thịnh", "Toàn",
        "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ",
    ];

    private static readonly string[] FemaleGivenNames =
    [
        "Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh",
        "Loan", "Mai", "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thúy", "Trang", "Trâm",
        "Uyên", "Vân", "Vy", "Yến",
    ];

    private static readonly int FamilyNameWeightTotal = FamilyNames.Sum(static entry => entry.Weight);

    private readonly Random random;
    private readonly DateOnly latestBirthDate;

    /// <param name="random">Owned by one worker; <see cref="Random"/> is not thread-safe.</param>
    /// <param name="latestBirthDate">
    /// Newest birth date to generate. Callers pass yesterday (UTC), so that a server whose "today" is
    /// behind ours (another time zone) never sees a birth date in its future.
    /// </param>
    public ResidentGenerator(Random random, DateOnly latestBirthDate)
    {
        this.random = random;
        this.latestBirthDate = latestBirthDate;
    }

    public static DateOnly Yesterday() => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    public NewResident Next()
    {
        var female = random.Next(2) == 1;
        var birthDate = NextBirthDate();
        var province = ProvinceCodes2024[random.Next(ProvinceCodes2024.Count)];
        return new NewResident(NextFullName(female), birthDate, female ? "female" : "male", province);
    }

    /// <summary>A full name as <see cref="Next"/> makes them, NFC.</summary>
    public string NextFullName(bool female)
    {
        var name = new StringBuilder(32);
        name.Append(NextFamilyName()).Append(' ');

        // Middle names mostly follow sex (Văn, Thị), but unisex ones cross over; about one person in
        // six has two middle names ("Nguyễn Ngọc Bảo Anh"), which makes longer names part of the mix.
        var middleNames = female ? FemaleMiddleNames : MaleMiddleNames;
        var middle = Pick(middleNames);
        name.Append(middle).Append(' ');
        if (random.Next(6) == 0)
        {
            middle = PickOtherThan(middleNames, middle);
            name.Append(middle).Append(' ');
        }

        name.Append(PickOtherThan(female ? FemaleGivenNames : MaleGivenNames, middle));

        // Source literals are precomposed already; normalising keeps that true whatever an editor does.
        return name.ToString().Normalize(NormalizationForm.FormC);
    }

    private string NextFamilyName()
    {
        var ticket = random.Next(FamilyNameWeightTotal);
        foreach (var (name, weight) in FamilyNames)
        {
            if (ticket < weight)
            {
                return name;
            }

            ticket -= weight;
        }

        return FamilyNames[0].Name;
    }

    /// <summary>
    /// Ages mostly 0–90 years, plus a small share anywhere since 1900, so the API's bounds and the
    /// sex/century digit of ID numbers for both centuries are exercised on every run.
    /// </summary>
    private DateOnly NextBirthDate()
    {
        var earliest = random.Next(50) == 0
            ? EarliestBirthDate
            : Max(EarliestBirthDate, latestBirthDate.AddYears(-90));
        var span = latestBirthDate.DayNumber - earliest.DayNumber;
        return earliest.AddDays(random.Next(span + 1));
    }

    private string Pick(string[] names) => names[random.Next(names.Length)];

    /// <summary>Avoids "Văn Văn" or "Minh Minh"; every list has several names, so this ends quickly.</summary>
    private string PickOtherThan(string[] names, string previous)
    {
        var name = Pick(names);
        while (name == previous)
        {
            name = Pick(names);
        }

        return name;
    }

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;
}
