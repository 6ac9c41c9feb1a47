using Registry.Database;
using Registry.ServiceDefaults;

namespace Registry.Api.Hosting;

/// <summary>The API's own access to PostgreSQL.</summary>
public static class DatabaseHosting
{
    /// <summary>
    /// The API reads the read model, statistics and the event feed straight from PostgreSQL and stores batch uploads
    /// there; every write of a person goes through the silos. The connection string is <c>ConnectionStrings:Registry</c>.
    /// </summary>
    public static WebApplicationBuilder AddRegistryDatabase(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRegistryDatabase(RegistryDatabase.ConnectionString(builder.Configuration));
        return builder;
    }
}
