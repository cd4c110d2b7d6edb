#include "stages/score/score.h"

#include <gtest/gtest.h>

namespace pingcha::score {
namespace {

Rubric TestRubric() {
  Rubric r;
  r.max = 100;
  r.bands = {{90, "优秀"}, {60, "合格"}, {0, "不合格"}};
  r.categories = {{"V", "否决", 0}, {"A", "主体", 5}, {"D", "程序", 30}};
  r.items.push_back({"P-V12", "V", "", 0, "", true, false, {}, {}, {}});
  r.items.push_back({"P-A1", "A", "", 3, "", false, false, {}, {}, {}});
  r.items.push_back({"P-A2", "A", "", 3, "", false, false, {}, {}, {}});
  r.items.push_back({"P-D1", "D", "", 4, "", false, false, {}, {}, {}});
  return r;
}

Finding F(const std::string& id, const std::string& status, double points, double deducted) {
  Finding f;
  f.item = id;
  f.status = status;
  f.points = points;
  f.deducted = deducted;
  return f;
}

TEST(ScoreTest, CategoryCapsAndBands) {
  auto s = Compute({F("P-A1", "deduct", 3, 3), F("P-A2", "deduct", 3, 3), F("P-D1", "deduct", 4, 4),
                    F("P-V12", "pass", 0, 0)},
                   TestRubric());
  EXPECT_DOUBLE_EQ(s.deducted, 9);  // A capped at 5, D 4
  EXPECT_DOUBLE_EQ(s.score, 91);
  EXPECT_EQ(s.grade, "优秀");
  EXPECT_FALSE(s.veto);
}

TEST(ScoreTest, ItemNeverDeductsMoreThanItsPoints) {
  auto s = Compute({F("P-D1", "deduct", 4, 10)}, TestRubric());
  EXPECT_DOUBLE_EQ(s.score, 96);
}

TEST(ScoreTest, VetoGivesVetoGradeWhateverTheScore) {
  auto s = Compute({F("P-V12", "deduct", 0, 0)}, TestRubric());
  EXPECT_TRUE(s.veto);
  EXPECT_DOUBLE_EQ(s.score, 100);
  EXPECT_EQ(s.grade, "不合格");
  auto r = TestRubric();
  r.veto_mode = "not_excellent";
  s = Compute({F("P-V12", "deduct", 0, 0)}, r);
  EXPECT_EQ(s.grade, "合格");
}

TEST(ScoreTest, ManualItemsAreCounted) {
  auto s = Compute({F("P-A1", "manual", 3, 0), F("P-A2", "manual", 3, 0), F("P-D1", "not_applicable", 4, 0)},
                   TestRubric());
  EXPECT_EQ(s.manual_pending, 2);
  EXPECT_DOUBLE_EQ(s.score, 100);
}

}  // namespace
}  // namespace pingcha::score
