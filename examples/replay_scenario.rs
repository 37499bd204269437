//! Writes the replay throughput scenario to standard output: one SAG APP instance, then N
//! request lines (default 200,000) cycling create, modify, describe on it. Every create adds a
//! new user (one in eight with a static address), every modify changes a user created before,
//! every describe asks for one page of 10 (by page number, or by user name).
//!
//! ```sh
//! cargo run --release --example replay_scenario -- 200000 > /tmp/replay-200k.scn
//! hyperfine -N --warmup 1 'cat /tmp/replay-200k.scn' \
//!     'target/release/examples/replay /tmp/replay-200k.scn'
//! ```

use std::io::{self, BufWriter, Write};

mod support;

fn main() -> io::Result<()> {
    let n: usize = support::count_arg("replay_scenario", 200_000);
    let mut out = BufWriter::new(io::stdout().lock());
    let common = "RegionId=cn-shanghai&SmartAGId=sag-bench";
    writeln!(
        out,
        "instance sag-bench region=cn-shanghai users={n} cidr=10.0.0.0/8"
    )?;
    let mut users = 0usize;
    for line in 0..n {
        match line % 3 {
            0 => {
                let ip = if users % 8 == 0 {
                    format!(
                        "&ClientIp=10.{}.{}.{}",
                        users >> 16 & 255,
                        users >> 8 & 255,
                        (users & 255).max(1)
                    )
                } else {
                    String::new()
                };
                writeln!(
                    out,
                    "Action=CreateSmartAccessGatewayClientUser&{common}&UserName=user{users:07}\
                     &Password=pass{users:07}&UserMail=user{users:07}%40example.com\
                     &Bandwidth=2000{ip}"
                )?;
                users += 1;
            }
            1 => {
                let target = line / 3 % users.max(1);
                writeln!(
                    out,
                    "Action=ModifySmartAccessGatewayClientUser&{common}&UserName=user{target:07}\
                     &Bandwidth={}&Email=new{target:07}%40example.com",
                    1000 + line % 1000
                )?;
            }
            _ => {
                if line % 2 == 0 {
                    writeln!(
                        out,
                        "Action=DescribeSmartAccessGatewayClientUsers&{common}&PageNumber={}&PageSize=10",
                        1 + line / 6 % (users / 10).max(1)
                    )?;
                } else {
                    writeln!(
                        out,
                        "Action=DescribeSmartAccessGatewayClientUsers&{common}&UserName=user{:07}",
                        line / 3 % users.max(1)
                    )?;
                }
            }
        }
    }
    out.flush()
}
