using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Registry.Api.Errors;
using Scalar.AspNetCore;

namespace Registry.Api.Hosting;

/// <summary>What every endpoint shares: JSON conventions, problem details, the OpenAPI document and reference page.</summary>
public static class ApiHosting
{
    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Residents"] = "People: registration, records, history, amendments, death, relocations (one person or a household), temporary residence and absence, search.",
        ["Provinces"] = "Provinces and their communes, the reconciliation of resident counts, and reorganisations (mergers of provinces).",
        ["Statistics"] = "Figures over many people, read from the read model.",
        ["Events"] = "The registry's events in order, for subscribers that catch up.",
        ["Access"] = "Who may read what: the purposes a request states.",
        ["Batches"] = "A province's daily file of registrations and amendments: upload, progress, and every row's result.",
    };

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
            // The server is the address the document was requested at, which ends in '/'; operation paths start with
            // one, so a client joining the two would call "//residents".
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url is { Length: > 1 } url ? url.TrimEnd('/') : server.Url;
            }

            // Each resource names its tag where it maps its routes; what the tag holds is said here, once.
            foreach (var tag in document.Tags ?? Enumerable.Empty<OpenApiTag>())
            {
                tag.Description ??= tag.Name is { } name ? TagDescriptions.GetValueOrDefault(name) : null;
            }

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
