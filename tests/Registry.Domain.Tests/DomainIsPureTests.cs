using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Registry.Domain.Residents;

namespace Registry.Domain.Tests;

/// <summary>
/// The domain holds decisions only: it knows the contracts it decides on and nothing of Orleans, so a rule can be read,
/// tested and changed without a cluster, and no grain machinery creeps into it.
/// </summary>
public sealed class DomainIsPureTests
{
    private static readonly Assembly Domain = typeof(RegistrationRules).Assembly;

    /// <summary>Of this solution's assemblies the domain references the contracts alone, and no Orleans assembly at all.</summary>
    [Fact]
    public void The_domain_references_the_contracts_and_nothing_of_Orleans()
    {
        var references = Domain.GetReferencedAssemblies().Select(reference => reference.Name!).ToArray();

        Assert.DoesNotContain(references, name => name.StartsWith("Orleans", StringComparison.OrdinalIgnoreCase)
            || name.StartsWith("Microsoft.Orleans", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(["Registry.Contracts"], references.Where(name => name.StartsWith("Registry.", StringComparison.Ordinal)));
    }

    /// <summary>
    /// No type, attribute or member the domain's code names lives in an Orleans namespace: read from the assembly's
    /// metadata, so a forwarded or generated reference is caught as well as one written by hand.
    /// </summary>
    [Fact]
    public void No_type_the_domain_uses_or_declares_is_in_an_Orleans_namespace()
    {
        using var stream = File.OpenRead(Domain.Location);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();

        var referenced = metadata.TypeReferences.Select(handle => metadata.GetTypeReference(handle))
            .Select(type => metadata.GetString(type.Namespace));
        var declared = metadata.TypeDefinitions.Select(handle => metadata.GetTypeDefinition(handle))
            .Select(type => metadata.GetString(type.Namespace));

        Assert.DoesNotContain(referenced.Concat(declared), IsOrleans);
        Assert.DoesNotContain(Domain.GetCustomAttributesData(), attribute => IsOrleans(attribute.AttributeType.Namespace));
    }

    private static bool IsOrleans(string? ns) =>
        ns is not null && (ns == "Orleans" || ns.StartsWith("Orleans.", StringComparison.Ordinal) || ns.StartsWith("OrleansCodeGen", StringComparison.Ordinal));
}
