using Orleans.Dashboard;
using Registry.Silo.Health;
using Registry.ServiceDefaults;
using Registry.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistrySilo();
builder.Services.AddSiloHealthChecks();

var app = builder.Build();
app.MapRegistryHealth();
// The dashboard has no authentication of its own: the silo's HTTP port is a management port, bound to
// loopback by default (cluster-config) and reachable only from the operators' network in production.
app.MapOrleansDashboard("/dashboard");
app.Run();
