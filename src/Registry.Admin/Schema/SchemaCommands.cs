using System.CommandLine;
using DbUp.Engine.Output;
using Registry.Database.Schema;

namespace Registry.Admin.Schema;

/// <summary>
/// <c>registry-admin migrate</c> and <c>registry-admin list</c>: the schema changes as a deliberate operators' step
/// (before new silos start), never hidden in a host's start-up. The migrations are those this build of
/// Registry.Database carries, so running the tool of a checkout applies that checkout's migrations.
/// </summary>
public static class SchemaCommands
{
    /// <summary>Exit code when a migration failed (it was rolled back; the schema stays at the one before).</summary>
    public const int Failed = 1;

    /// <summary>Exit code when no connection string was given.</summary>
    public const int NoConnection = 2;

    /// <summary>Environment variable read when <c>--connection</c> is not given: the one every host reads.</summary>
    public const string ConnectionVariable = "ConnectionStrings__Registry";

    /// <summary><c>migrate [--connection ...]</c>: applies every migration not yet applied; safe to repeat.</summary>
    public static Command Migrate()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = $"Npgsql connection string of the registry's database; default ${ConnectionVariable}.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ConnectionVariable),
        };
        var command = new Command("migrate", "Apply every schema migration not yet applied, in order; safe to repeat.") { connection };
        command.SetAction(parse =>
        {
            if (parse.GetValue(connection) is not { } connectionString || string.IsNullOrWhiteSpace(connectionString))
            {
                Console.Error.WriteLine($"No connection string: pass --connection or set {ConnectionVariable}.");
                return NoConnection;
            }

            try
            {
                var applied = SchemaMigrator.Apply(connectionString, new ConsoleUpgradeLog());
                Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied {applied.Count} migration(s).");
                return 0;
            }
            catch (SchemaMigrationException exception)
            {
                Console.Error.WriteLine(exception.Message);
                return Failed;
            }
        });
        return command;
    }

    /// <summary><c>list</c>: prints the migrations this build carries, in the order they apply.</summary>
    public static Command List()
    {
        var command = new Command("list", "List the schema migrations this build carries, in the order they apply.");
        command.SetAction(_ =>
        {
            foreach (var name in SchemaMigrator.Known())
            {
                Console.WriteLine(name);
            }
        });
        return command;
    }
}
