using Npgsql;
using Registry.ReadModel;
using Registry.ServiceDefaults;

namespace Registry.Api.Hosting;

/// <summary>The API's own access to PostgreSQL: the read model it searches, without going through the silos.</summary>
public static class ReadModelHosting
{
    /// <summary>
    /// Registers a data source on <c>ConnectionStrings:Registry</c> and the read model's services. The API only
    /// queries (<see cref="ReadModel.Residents.ResidentDirectory"/>); the projection that writes is the silos'.
    /// </summary>
    public static WebApplicationBuilder AddRegistryReadModel(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = RegistryDatabase.ConnectionString(builder.Configuration);
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        builder.Services.AddRegistryReadModel();
        return builder;
    }
}
