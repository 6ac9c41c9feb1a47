using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Registry.LoadTests.Running;

/// <summary>
/// The PostgreSQL side of <see cref="LoopbackTarget"/>: a connection string is used only when every host in it is
/// this machine's loopback, checked before any connection is opened.
/// </summary>
internal static class LoopbackDatabase
{
    /// <summary>The database <c>cluster-config/up.sh</c> starts (<c>cluster-config/postgres.sh</c>).</summary>
    public const string DevConnectionString = "Host=127.0.0.1;Port=5433;Database=registry;Username=registry;Password=registry";

    /// <summary>Environment variable the hosts read the connection string from, used when no option gives one.</summary>
    public const string ConnectionStringVariable = "ConnectionStrings__Registry";

    /// <summary>The option's value, else the environment's, else the development database.</summary>
    public static string ConnectionStringFrom(string? option) =>
        option ?? Environment.GetEnvironmentVariable(ConnectionStringVariable) ?? DevConnectionString;

    /// <summary>Parses <paramref name="connectionString"/> and refuses it unless every host is loopback.</summary>
    /// <param name="connectionString">The connection string to check.</param>
    /// <param name="optionName">The option it came from, for the message.</param>
    /// <param name="database">The parsed connection string when accepted.</param>
    /// <param name="problem">Why it was refused, for the user.</param>
    public static bool TryCheck(
        string connectionString, string optionName, [NotNullWhen(true)] out NpgsqlConnectionStringBuilder? database, [NotNullWhen(false)] out string? problem)
    {
        database = null;
        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException exception)
        {
            problem = $"{optionName} is not a valid PostgreSQL connection string: {exception.Message}";
            return false;
        }

        var hosts = (parsed.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var refused = hosts.Where(static host => !LoopbackTarget.IsLoopbackHost(WithoutPort(host))).ToList();
        if (hosts.Length == 0 || refused.Count > 0)
        {
            problem = $"Refusing to connect to PostgreSQL at Host '{parsed.Host}': {(hosts.Length == 0 ? "no host given" : string.Join(", ", refused) + " is not a loopback address")}. "
                + "This load generator only talks to this machine: 127.0.0.0/8, localhost or [::1]. Nothing was sent.";
            return false;
        }

        database = parsed;
        problem = null;
        return true;
    }

    /// <summary>Npgsql accepts <c>host:port</c> and <c>[v6]:port</c> in Host; the check needs the host alone.</summary>
    private static string WithoutPort(string host)
    {
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            return end < 0 ? host : host[..(end + 1)];
        }

        var colon = host.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && colon == host.LastIndexOf(':') ? host[..colon] : host;
    }
}
