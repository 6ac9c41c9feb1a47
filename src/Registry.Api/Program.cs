using Registry.Api.Access;
using Registry.Api.Batches;
using Registry.Api.Health;
using Registry.Api.Hosting;
using Registry.Api.Provinces;
using Registry.Api.Residents;
using Registry.Api.Statistics;
using Registry.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistryClusterClient();
builder.AddRegistryApi();
builder.AddRegistryAuthentication();
builder.AddRegistryReadModel();
builder.AddRegistryBatches();
builder.Services.AddApiHealthChecks();

var app = builder.Build();
app.UseRegistryApi();
app.UseRegistryAuthentication();
app.MapResidentsApi();
app.MapProvincesApi();
app.MapReorganisationsApi();
app.MapHouseholdsApi();
app.MapStatisticsApi();
app.MapBatchesApi();
app.MapRegistryHealth();
app.Run();
