#include "stages/checks/digest.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace pingcha::checks {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("pingcha_digest_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(DigestTest, HashesBytesAndFiles) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  auto dir = TempDir("file");
  std::ofstream(dir / "a.txt", std::ios::binary) << "abc";
  auto h = Sha256File((dir / "a.txt").string());
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(*h, Sha256Hex("abc"));
}

// A FIFO named like a case file must not be opened: that would block forever.
TEST(DigestTest, FifoIsUnreadableWithoutBlocking) {
  auto dir = TempDir("fifo");
  ASSERT_EQ(::mkfifo((dir / "p.pdf").c_str(), 0644), 0);
  auto h = Sha256File((dir / "p.pdf").string());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), "unreadable");
}

TEST(DigestTest, SymlinkLoopAndMissingFileAreUnreadable) {
  auto dir = TempDir("loop");
  fs::create_symlink("l.pdf", dir / "l.pdf");
  auto h = Sha256File((dir / "l.pdf").string());
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.status().code(), "unreadable");
  EXPECT_EQ(Sha256File((dir / "missing.pdf").string()).status().code(), "unreadable");
}

}  // namespace
}  // namespace pingcha::checks
