using Registry.Silo.Health;
using Registry.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRegistrySilo();
builder.Services.AddSiloHealthChecks();

var app = builder.Build();
app.MapSiloEndpoints();
app.Run();
