using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Registry.Api.Errors;
using Scalar.AspNetCore;

namespace Registry.Api.Hosting;

/// <summary>What every endpoint shares: JSON conventions, problem details, the OpenAPI document and reference page.</summary>
public static class ApiHosting
{
    /// <summary>Registers the API's shared services.</summary>
    public static WebApplicationBuilder AddRegistryApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
            // A field given twice is refused (400 naming it, see RequestProblems), never decided by the last value: a
            // client or proxy that reads the first one would otherwise see another request than the registry stored.
            options.SerializerOptions.AllowDuplicateProperties = false;
        });
        // Binding failures throw so that RequestProblems can name the field; by default they only set 400.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<RequestProblems>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "National Population Registry API";
            document.Info.Description = "Registers people, issues personal ID numbers and reads records. Every error is problem details (RFC 9457).";
            return Task.CompletedTask;
        }));
        return builder;
    }

    /// <summary>Error handling for every request, then the OpenAPI document and its reference page.</summary>
    public static WebApplication UseRegistryApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // The reference is public, so that integrators can read it before they hold a token; the operations are not.
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference(options => options.WithTitle("National Population Registry API")).AllowAnonymous();
        return app;
    }
}
