using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Registry.Api.Errors;

/// <summary>
/// An endpoint's answer to a refusal, made by <see cref="RequestProblems.For"/> only. Endpoints name it in their results
/// instead of a validation problem and a problem each, so that every refusal takes the one way; like a validation
/// problem, it declares the 400 of invalid input in the OpenAPI document, and each endpoint declares its other statuses.
/// </summary>
public sealed class RefusalProblem : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private readonly IResult _problem;

    internal RefusalProblem(IResult problem, int statusCode)
    {
        _problem = problem;
        StatusCode = statusCode;
    }

    /// <inheritdoc />
    public int? StatusCode { get; }

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => _problem.ExecuteAsync(httpContext);

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(HttpValidationProblemDetails), ["application/problem+json"]));
    }
}
