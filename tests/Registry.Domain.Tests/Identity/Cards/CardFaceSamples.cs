using System.Globalization;
using Registry.Contracts.Identity;
using Registry.Contracts.Residents;
using Registry.Domain.Identity.Cards;

namespace Registry.Domain.Tests.Identity.Cards;

/// <summary>Cards the codecs are tried on: one known card and a seeded stream of varied ones.</summary>
internal static class CardFaceSamples
{
    /// <summary>The day the tests read two-digit years against.</summary>
    public static readonly DateOnly Today = new(2026, 11, 28);

    /// <summary>Nguyễn Thị Ánh's card: born 1990-05-17 in Hà Nội (001), issued 2024-07-01, valid until her 40th birthday.</summary>
    public static readonly CardFace Anh = new(
        "C01234567",
        PersonalIdNumber.Create(IdNumberPrefix.For("001", Sex.Female, new DateOnly(1990, 5, 17)), 123_456),
        "Nguyễn Thị Ánh",
        new DateOnly(1990, 5, 17),
        Sex.Female,
        new DateOnly(2024, 7, 1),
        new DateOnly(2030, 5, 17),
        "12 Hàng Bạc, Phường Hoàn Kiếm, Thành phố Hà Nội",
        "Huế");

    private static readonly DateOnly EarliestIssue = new(1999, 1, 1);
    private static readonly string[] Provinces = ["001", "079", "048", "031", "092", "038"];
    private static readonly string[] Surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
    private static readonly string[] GivenNames =
    [
        "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Anh", "Ánh", "Thảo", "Phương", "Hương", "Dũng", "Tuấn", "Hải", "Đạt",
        "Quỳnh", "Nguyên", "Khánh", "Thụy", "Bảo", "Xuân", "Yến", "Lệ", "Lê", "Ơn", "Ưng", "Nhất", "Trường", "Giang",
    ];

    private static readonly string[] Streets = ["Hàng Bạc", "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Điện Biên Phủ"];

    /// <summary>
    /// <paramref name="count"/> cards from a fixed seed: birth dates over the 110 years before <see cref="Today"/>
    /// (holders over 100 included), names of one to eight words (long ones truncated in the zone), cards that expire
    /// in the past or the future and cards that do not expire, with or without an earlier ID number.
    /// </summary>
    public static IEnumerable<CardFace> Generate(int count, int seed = 20_261_128)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var sex = random.Next(2) == 0 ? Sex.Male : Sex.Female;
            var birthDate = Today.AddDays(-random.Next(0, 110 * 365));
            var number = PersonalIdNumber.Create(IdNumberPrefix.For(Pick(random, Provinces), sex, birthDate), random.Next(PersonalIdNumber.SerialsPerPrefix));
            // Chip cards date from 2016 and the cards before them from 1999 at the earliest: no card presented today
            // was issued earlier, and an expiry within 50 years of today is what a zone's two-digit year can say.
            var firstIssue = birthDate > EarliestIssue ? birthDate : EarliestIssue;
            var issueDate = firstIssue.AddDays(random.Next(0, Today.DayNumber - firstIssue.DayNumber + 1));
            DateOnly? expiryDate = random.Next(4) == 0 ? null : issueDate.AddDays(random.Next(1, 25 * 365));
            var words = Enumerable.Range(0, random.Next(0, 8)).Select(_ => Pick(random, GivenNames)).Prepend(Pick(random, Surnames));
            var documentNumber = random.Next(2) == 0
                ? string.Create(CultureInfo.InvariantCulture, $"{(char)('A' + random.Next(26))}{random.Next(100_000_000):00000000}")
                : string.Create(CultureInfo.InvariantCulture, $"{random.Next(1_000_000_000):000000000}");
            yield return new CardFace(
                documentNumber, number, string.Join(' ', words), birthDate, sex, issueDate, expiryDate,
                string.Create(CultureInfo.InvariantCulture, $"{random.Next(1, 300)} {Pick(random, Streets)}, Phường {random.Next(1, 20)}"), random.Next(3) == 0 ? null : "Huế")
            {
                PreviousIdNumber = random.Next(2) == 0 ? null : string.Create(CultureInfo.InvariantCulture, $"{random.Next(1_000_000_000):000000000}"),
            };
        }
    }

    private static string Pick(Random random, string[] items) => items[random.Next(items.Length)];
}
