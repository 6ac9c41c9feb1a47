using Microsoft.Extensions.Configuration;

namespace Registry.ServiceDefaults;

/// <summary>The PostgreSQL connection string every silo and client needs.</summary>
public static class RegistryDatabase
{
    /// <summary>Configuration key of the connection string (environment: <c>ConnectionStrings__Registry</c>).</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Registry";

    /// <summary>The Npgsql ADO.NET invariant. Every Orleans provider must be told: grain storage defaults to SQL Server's.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>The connection string, or a start-up error naming the missing key.</summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[ConnectionStringKey];
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                $"Configuration '{ConnectionStringKey}' (environment ConnectionStrings__Registry) is required: the PostgreSQL connection string.")
            : value;
    }
}
