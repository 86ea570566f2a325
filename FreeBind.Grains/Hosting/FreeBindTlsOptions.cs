using System.Security.Cryptography.X509Certificates;

namespace FreeBind.Hosting;

/// <summary>
/// TLS for silo-to-silo and client-to-silo connections. Bound from <c>FreeBind:Tls</c> on silos
/// and clients. TLS is on when <see cref="CertificatePath"/> or <see cref="CertificateSubject"/>
/// is set; every silo and client of a cluster must then use it, because a plain connection to a
/// TLS silo fails.
/// </summary>
/// <remarks>
/// Both ends present a certificate and check the other's (mutual TLS). A remote certificate is
/// accepted when its chain validates against the machine's trusted roots, or, when
/// <see cref="AllowedThumbprints"/> is set, when its SHA-1 thumbprint is in that list.
/// </remarks>
public sealed class FreeBindTlsOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "FreeBind:Tls";

    /// <summary>
    /// Path of a PKCS#12 (.pfx) file holding this process's certificate and private key. Null
    /// (the default) when the certificate comes from a store, or TLS is off.
    /// </summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/>; null for a file without one. Never logged.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Subject name of a certificate in <see cref="CertificateStore"/>, used when
    /// <see cref="CertificatePath"/> is not set. Null (the default) means no store certificate.
    /// </summary>
    public string? CertificateSubject { get; set; }

    /// <summary>Store that holds <see cref="CertificateSubject"/>. Default <see cref="StoreName.My"/>.</summary>
    public StoreName CertificateStore { get; set; } = StoreName.My;

    /// <summary>Location of <see cref="CertificateStore"/>. Default <see cref="StoreLocation.CurrentUser"/>.</summary>
    public StoreLocation CertificateStoreLocation { get; set; } = StoreLocation.CurrentUser;

    /// <summary>
    /// SHA-1 thumbprints (hex, comma-separated) of the remote certificates to accept without a
    /// trusted chain, for self-signed certificates. Empty (the default) requires a chain that the
    /// machine trusts.
    /// </summary>
    public string? AllowedThumbprints { get; set; }

    /// <summary>True when a certificate file or store subject is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateSubject);

    /// <summary>Where the certificate comes from, for logs: never includes the password.</summary>
    public string Describe() => !Enabled
        ? "off"
        : !string.IsNullOrWhiteSpace(CertificatePath)
            ? $"on, certificate file '{CertificatePath}'"
            : $"on, certificate '{CertificateSubject}' in store {CertificateStoreLocation}/{CertificateStore}";
}
