//! Measures the account's memory per client user: fills one instance with N users (default
//! 1,000,000) and prints the heap bytes the account holds per user, beside the bytes of the
//! users' own strings (name, password, mail).
//!
//! ```text
//! cargo run --release --example memory_per_user -- [N]
//! ```
//!
//! Bytes are the sizes requested from the allocator (a counting global allocator), beside the
//! allocations the account still holds per user and the growth of the process's resident set
//! (which includes the allocator's own per-allocation overhead, 8 to 16 bytes each with glibc).

use std::alloc::System;

use smartag_rules::{Account, CreateClientUser, Credentials, InstanceSpec, RegionId, SmartAgId};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

mod support;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u32 = support::count_arg("memory_per_user", 1_000_000);
    let region: RegionId = "cn-shanghai".parse()?;
    let id: SmartAgId = "sag-big".parse()?;
    let rss_before = resident_bytes();
    let region_stats = Region::new(GLOBAL);
    let mut account = Account::new();
    account.add_instance(
        InstanceSpec::app(id.clone(), region.clone())
            .quota(n)
            .pool("10.0.0.0/8".parse()?),
    )?;
    let mut string_bytes = 0usize;
    for i in 0..n {
        // The request's strings move into the account; temporaries are freed in the loop, so
        // what the region still holds at the end is what the account keeps.
        let credentials = Credentials::new(
            format!("user{i:07}").parse()?,
            format!("pass{i:07}").parse()?,
        );
        let mail = format!("user{i:07}@example.com").parse()?;
        let request =
            CreateClientUser::new(region.clone(), id.clone(), mail).with_credentials(credentials);
        string_bytes += request.credentials.as_ref().map_or(0, |c| {
            c.user_name.as_str().len() + c.password.expose_secret().len()
        }) + request.user_mail.as_str().len();
        account.create_client_user(request)?;
    }
    let stats = region_stats.change();
    // stats_alloc already folds reallocation growth into bytes_allocated/deallocated.
    let held = stats.bytes_allocated as i64 - stats.bytes_deallocated as i64;
    let allocations = stats.allocations as i64 - stats.deallocations as i64;
    let rss_growth = resident_bytes()
        .zip(rss_before)
        .map(|(after, before)| after - before);

    let users = f64::from(n.max(1));
    let per_user = held as f64 / users;
    let strings_per_user = string_bytes as f64 / users;
    println!("users:                        {n}");
    println!("heap held by the account:     {held} bytes");
    println!("per user:                     {per_user:.1} bytes");
    println!("  of which the strings' own:  {strings_per_user:.1} bytes");
    println!(
        "  beyond the strings:         {:.1} bytes",
        per_user - strings_per_user
    );
    println!(
        "allocations held per user:    {:.2}",
        allocations as f64 / users
    );
    if let Some(growth) = rss_growth {
        println!(
            "resident set growth per user: {:.1} bytes",
            growth as f64 / users
        );
    }
    let count = account
        .instance(&region, &id)
        .map_or(0, |instance| instance.user_count());
    assert_eq!(count, n as usize);
    Ok(())
}

/// The process's resident set in bytes (Linux `/proc/self/status`), if readable.
fn resident_bytes() -> Option<i64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: i64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
