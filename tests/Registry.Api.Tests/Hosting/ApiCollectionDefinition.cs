using Xunit;

namespace Registry.Api.Tests.Hosting;

/// <summary>The API tests: they share one <see cref="ApiFixture"/> and run serially.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollectionDefinition : ICollectionFixture<ApiFixture>
{
    /// <summary>Name to put in <see cref="CollectionAttribute"/>.</summary>
    public const string Name = "Registry API on loopback";
}
