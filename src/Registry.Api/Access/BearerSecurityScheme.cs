using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>
/// Declares in the OpenAPI document that every operation needs a bearer token (so the reference page offers a field
/// to paste one into), and documents the 401 and 403 problems that authentication and authorization answer with.
/// </summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer, IOpenApiOperationTransformer
{
    /// <summary>The scheme's key under <c>components.securitySchemes</c>.</summary>
    public const string SchemeId = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeId] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = $"A JWT signed with {RegistryTokens.Algorithm} carrying 'sub', 'role' ({string.Join(", ", ActorClaims.RoleNames)}) " +
                          "and, for a provincial officer, 'province'. Operators mint one with `Registry.Admin token`.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeId, document)] = [] });
        return Task.CompletedTask;
    }

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return;
        }

        operation.Responses ??= [];
        operation.Responses.TryAdd("401", await ProblemAsync(context, AccessProblems.UnauthenticatedTitle, cancellationToken));
        // The fallback policy only asks for a token; a 403 can only come from a named policy or roles on the endpoint.
        if (metadata.OfType<IAuthorizeData>().Any(data => data.Policy is not null || data.Roles is not null))
        {
            operation.Responses.TryAdd("403", await ProblemAsync(context, AccessProblems.ForbiddenTitle, cancellationToken));
        }
    }

    private static async Task<OpenApiResponse> ProblemAsync(OpenApiOperationTransformerContext context, string description, CancellationToken cancellationToken)
    {
        // Refer to the ProblemDetails schema the other error responses share, when the document has it already.
        IOpenApiSchema schema = context.Document?.Components?.Schemas?.ContainsKey(nameof(ProblemDetails)) == true
            ? new OpenApiSchemaReference(nameof(ProblemDetails), context.Document)
            : await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
        return new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
        };
    }
}
