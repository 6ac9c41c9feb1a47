using Registry.Api.Access;
using Registry.Api.Batches;
using Registry.Api.Events;
using Registry.Api.Health;
using Registry.Api.Hosting;
using Registry.Api.Provinces;
using Registry.Api.Residents;
using Registry.Api.Statistics;
using Registry.Database;
using Registry.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistryClusterClient();
builder.AddRegistryApi();
builder.AddRegistryAuthentication();
// The API reads the read model, statistics and the event feed straight from PostgreSQL and stores batch uploads
// there; every write of a person goes through the silos.
builder.Services.AddRegistryDatabase(RegistryDatabase.ConnectionString(builder.Configuration));
builder.AddRegistryBatches();
builder.Services.AddApiHealthChecks();

var app = builder.Build();
app.UseRegistryApi();
app.UseRegistryAuthentication();
app.MapResidentsApi();
app.MapProvincesApi();
app.MapReorganisationsApi();
app.MapCommuneListsApi();
app.MapHouseholdsApi();
app.MapStatisticsApi();
app.MapEventsApi();
app.MapBatchesApi();
app.MapRegistryHealth();
app.Run();
