using Microsoft.AspNetCore.Identity;

namespace Baoxue.Domain;

/// <summary>Where an account is bound; its jurisdiction is that place's path.</summary>
public enum PlaceKind
{
    County = 1,
    Township = 2,
    Village = 3,
    School = 4,
    Class = 5,
    Department = 6,
    /// <summary>地级市（盟）: above the counties of one deployment (issue 12).</summary>
    City = 7,
    Province = 8,
}

public sealed class AppUser : IdentityUser<Guid>, IScoped
{
    public AppUser() => Id = Guid.CreateVersion7();

    public required string DisplayName { get; set; }
    public Role Role { get; set; }
    public PlaceKind PlaceKind { get; set; }
    public Guid PlaceId { get; set; }
    /// <summary>The jurisdiction: the bound place's path.</summary>
    public required string Path { get; set; }
    public Guid? StaffId { get; set; }
    /// <summary>Demo accounts are exempt from the administrators' second-factor rule so the quick start works.</summary>
    public bool IsDemo { get; set; }
    public bool IsDisabled { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>The password was given by an administrator (provisioning, import, reset): the user must choose their own before anything else.</summary>
    public bool MustChangePassword { get; set; }
    /// <summary>The last successful sign-in (page or API), for the access list; null when never used.</summary>
    public DateTime? LastSignInAt { get; set; }
}
