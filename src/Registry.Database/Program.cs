using System.CommandLine;
using DbUp.Engine.Output;
using Registry.Database;

// registry-db migrate --connection "Host=...;Database=registry;..."   (or ConnectionStrings__Registry)
// registry-db list

var connection = new Option<string?>("--connection")
{
    Description = "Npgsql connection string. Defaults to the ConnectionStrings__Registry environment variable.",
};

var migrate = new Command("migrate", "Apply every migration not yet applied; safe to repeat.") { connection };
migrate.SetAction(parse =>
{
    var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable("ConnectionStrings__Registry");
    if (string.IsNullOrWhiteSpace(connectionString))
    {
        Console.Error.WriteLine("No connection string: pass --connection or set ConnectionStrings__Registry.");
        return 2;
    }

    try
    {
        var applied = SchemaMigrator.Apply(connectionString, new ConsoleUpgradeLog());
        Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied {applied.Count} migration(s).");
        return 0;
    }
    catch (SchemaMigrationException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return 1;
    }
});

var list = new Command("list", "List the migrations this build carries, in order.");
list.SetAction(_ =>
{
    foreach (var name in SchemaMigrator.Known())
    {
        Console.WriteLine(name);
    }
});

var root = new RootCommand("Population registry database schema.") { migrate, list };
return root.Parse(args).Invoke();
