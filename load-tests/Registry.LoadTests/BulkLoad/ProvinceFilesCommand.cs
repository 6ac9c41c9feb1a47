using System.CommandLine;
using System.Globalization;
using System.Text;
using Registry.Contracts.Residents;
using Registry.LoadTests.Running;
using Registry.LoadTests.Scenarios;

namespace Registry.LoadTests.BulkLoad;

/// <summary>
/// <c>province-files</c>: a country's provincial files for <c>registry-admin bulk-load</c>, one CSV per province of 2024 in
/// the daily batches' format: people spread evenly over the 63 provinces, most keeping a number issued before the registry
/// (unique: <see cref="SyntheticPeople.NewNumber"/>), the rest to be allocated; every row confirmed as another person, as a
/// province's own deduplicated database is. Seeded, so the same arguments make the same files.
/// </summary>
internal static class ProvinceFilesCommand
{
    private static readonly Option<int> People = new("--people") { HelpName = "count", Description = "People over all files.", DefaultValueFactory = static _ => 1_000_000 };
    private static readonly Option<int> KeptPercent = new("--kept-percent") { HelpName = "percent", Description = "Share of people keeping a number issued before the registry.", DefaultValueFactory = static _ => 80 };
    private static readonly Option<DirectoryInfo> Out = new("--out") { HelpName = "folder", Description = "Where the files go (created).", Required = true };
    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the generator.", DefaultValueFactory = static _ => 14 };

    /// <summary>The subcommand.</summary>
    public static Command Create()
    {
        ScenarioCommand.MustBeWithin(People, 1, 200_000_000);
        ScenarioCommand.MustBeWithin(KeptPercent, 0, 100);
        var command = new Command("province-files", "Write one CSV per province of 2024 for registry-admin bulk-load.") { People, KeptPercent, Out, Seed };
        command.SetAction(static async (parse, cancellationToken) =>
        {
            var folder = parse.GetRequiredValue(Out);
            folder.Create();
            var random = new Random(parse.GetValue(Seed));
            var names = new ResidentGenerator(random, ResidentGenerator.Yesterday());
            var numbers = new SyntheticPeople(random, 0);
            var provinces = ResidentGenerator.ProvinceCodes2024;
            var people = parse.GetValue(People);
            var kept = parse.GetValue(KeptPercent);
            for (var p = 0; p < provinces.Count; p++)
            {
                var province = provinces[p];
                var count = people / provinces.Count + (p < people % provinces.Count ? 1 : 0);
                await using var file = new StreamWriter(Path.Combine(folder.FullName, $"{province}.csv"), false, new UTF8Encoding(false), 1 << 20);
                await file.WriteAsync("kind,fullName,birthDate,sex,birthRegistrationProvince,issuedNumber,confirmedNotDuplicate\n");
                for (var i = 0; i < count; i++)
                {
                    var person = names.Next() with { BirthRegistrationProvince = province };
                    var sex = person.Sex == "female" ? Sex.Female : Sex.Male;
                    var number = random.Next(100) < kept ? numbers.NewNumber(province, sex, person.BirthDate).Value : "";
                    // Names hold no comma or quote, so the CSV needs no quoting.
                    await file.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                        $"registration,{person.FullName},{person.BirthDate:yyyy-MM-dd},{person.Sex},{province},{number},true\n").AsMemory(), cancellationToken);
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{people:N0} people in {provinces.Count} files in {folder.FullName}"));
            return ExitCodes.Ok;
        });
        return command;
    }
}
