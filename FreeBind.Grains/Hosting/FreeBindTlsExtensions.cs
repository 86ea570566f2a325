using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using Microsoft.Extensions.Configuration;

using Orleans.Connections.Security;

namespace FreeBind.Hosting;

/// <summary>Applies <see cref="FreeBindTlsOptions"/> to a silo or a client.</summary>
public static class FreeBindTlsExtensions
{
    /// <summary>
    /// Turns on TLS for the silo's silo and gateway connections when <c>FreeBind:Tls</c> names a
    /// certificate; otherwise leaves the silo unchanged.
    /// </summary>
    public static ISiloBuilder UseFreeBindTls(this ISiloBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ReadOptions(configuration);
        if (options.Enabled)
        {
            var certificate = LoadCertificate(options, server: true);
            builder.UseTls(certificate, tls => Configure(tls, options));
        }

        return builder;
    }

    /// <summary>
    /// Turns on TLS for the client's gateway connections when <c>FreeBind:Tls</c> names a
    /// certificate; otherwise leaves the client unchanged.
    /// </summary>
    public static IClientBuilder UseFreeBindTls(this IClientBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = ReadOptions(configuration);
        if (options.Enabled)
        {
            var certificate = LoadCertificate(options, server: false);
            builder.UseTls(certificate, tls => Configure(tls, options));
        }

        return builder;
    }

    /// <summary>Reads <c>FreeBind:Tls</c>; returns options with TLS off when the section is missing.</summary>
    public static FreeBindTlsOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.GetSection(FreeBindTlsOptions.SectionName).Get<FreeBindTlsOptions>() ?? new FreeBindTlsOptions();
    }

    private static X509Certificate2 LoadCertificate(FreeBindTlsOptions options, bool server)
    {
        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (!File.Exists(options.CertificatePath))
            {
                throw new InvalidOperationException(
                    $"FreeBind:Tls:CertificatePath '{options.CertificatePath}' does not exist: give the path of a .pfx file with the certificate and its private key.");
            }

            try
            {
                return X509CertificateLoader.LoadPkcs12FromFile(options.CertificatePath, options.CertificatePassword);
            }
            catch (CryptographicException exception)
            {
                // The exception text never contains the password.
                throw new InvalidOperationException(
                    $"FreeBind:Tls:CertificatePath '{options.CertificatePath}' could not be read as PKCS#12 ({exception.Message}): " +
                    "check the file and FreeBind:Tls:CertificatePassword.", exception);
            }
        }

        return CertificateLoader.LoadFromStoreCert(
            options.CertificateSubject!, options.CertificateStore.ToString(), options.CertificateStoreLocation, allowInvalid: false, server);
    }

    private static void Configure(TlsOptions tls, FreeBindTlsOptions options)
    {
        tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        var thumbprints = (options.AllowedThumbprints ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (thumbprints.Count > 0)
        {
            // Pinned certificates: self-signed ones have no trusted chain, so the thumbprint decides.
            tls.RemoteCertificateValidation = (certificate, _, errors) =>
                errors == SslPolicyErrors.None || thumbprints.Contains(certificate.Thumbprint);
        }
    }
}
