using Registry.Api.Health;
using Registry.Api.Hosting;
using Registry.Api.Provinces;
using Registry.Api.Residents;
using Registry.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistryClusterClient();
builder.AddRegistryApi();
builder.AddRegistryReadModel();
builder.Services.AddApiHealthChecks();

var app = builder.Build();
app.UseRegistryApi();
app.MapResidentsApi();
app.MapProvincesApi();
app.MapRegistryHealth();
app.Run();
