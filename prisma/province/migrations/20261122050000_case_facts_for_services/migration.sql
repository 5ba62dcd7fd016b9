
-- AlterTable
ALTER TABLE "case_facts" ADD COLUMN     "age_band" TEXT,
ADD COLUMN     "danger_level" TEXT,
ADD COLUMN     "exploitation_types" TEXT[],
ADD COLUMN     "forced_labour_sector" TEXT,
ADD COLUMN     "gender" TEXT,
ADD COLUMN     "languages" TEXT[],
ADD COLUMN     "medical_need" TEXT,
ADD COLUMN     "nationality" TEXT,
ADD COLUMN     "wish_to_return_home" BOOLEAN;

